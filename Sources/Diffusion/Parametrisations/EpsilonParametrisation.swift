import Torch

/// ε-prediction (Ho et al. 2020): F estimates the unit noise n; D = x̃ − σ·F, target n.
public struct EpsilonParametrisation: Parametrisation {
    /// ε-prediction.
    public init() {}

    public func denoised(output: Tensor, x: Tensor, coefficients c: ProcessCoefficients) throws -> Tensor {
        try x - c.perSample(c.sigma, like: x) * output
    }

    public func target(clean: Tensor, noise: Tensor, coefficients c: ProcessCoefficients) throws -> Tensor { noise }
}
