import Torch

/// x₀-prediction: F estimates the clean sample; D = F, target x₀.
public struct DataParametrisation: Parametrisation {
    /// x₀-prediction.
    public init() {}

    public func denoised(output: Tensor, x: Tensor, coefficients c: ProcessCoefficients) throws -> Tensor { output }

    public func target(clean: Tensor, noise: Tensor, coefficients c: ProcessCoefficients) throws -> Tensor { clean }
}
