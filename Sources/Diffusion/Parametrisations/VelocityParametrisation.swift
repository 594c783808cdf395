import Torch

/// Velocity prediction (flow matching, Lipman et al. 2023): F estimates dx_t/dt = s'·x₀ + (s·σ)'·n, the target
/// (n − x₀ for rectified flow). With n = (x̃ − x₀)/σ: D = ((s·σ)'·x̃ − σ·F)/(s·σ'), i.e. x₀ = x_t − t·F for
/// rectified flow.
public struct VelocityParametrisation: Parametrisation {
    /// Velocity prediction.
    public init() {}

    public func denoised(output: Tensor, x: Tensor, coefficients c: ProcessCoefficients) throws -> Tensor {
        let stdDerivative = try c.perSample(c.marginalStdDerivative, like: x)
        let sigma = try c.perSample(c.sigma, like: x)
        let denominator = try c.perSample(c.scale * c.sigmaDerivative, like: x)
        return try (stdDerivative * x - sigma * output) / denominator
    }

    public func target(clean: Tensor, noise: Tensor, coefficients c: ProcessCoefficients) throws -> Tensor {
        try c.perSample(c.scaleDerivative, like: clean) * clean + c.perSample(c.marginalStdDerivative, like: clean) * noise
    }
}
