import Torch

/// v-prediction (Salimans & Ho 2022; CaloScore v2, spec §B.2.2): target v = α·n − σ_t·x₀ with α = s and
/// σ_t = s·σ the signal and noise scales of x_t. Solving x̃ = x₀ + σ·n and v/s = n − σ·x₀ gives
/// D = (x̃ − (σ/s)·F)/(1 + σ²), which for VP processes (α² + σ_t² = 1) is x̂ = α·x_t − σ_t·v.
public struct VParametrisation: Parametrisation {
    /// v-prediction.
    public init() {}

    public func denoised(output: Tensor, x: Tensor, coefficients c: ProcessCoefficients) throws -> Tensor {
        let sigma = try c.perSample(c.sigma, like: x)
        let sigmaOverScale = try sigma / c.perSample(c.scale, like: x)
        return try (x - sigmaOverScale * output) / (1 + sigma * sigma)
    }

    public func target(clean: Tensor, noise: Tensor, coefficients c: ProcessCoefficients) throws -> Tensor {
        try c.perSample(c.scale, like: clean) * noise - c.perSample(c.marginalStd, like: clean) * clean
    }
}
