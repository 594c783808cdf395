import Diffusion
import Torch

/// The exact denoiser of one-dimensional Gaussian data x₀ ~ N(μ, s²), applied element-wise, with the
/// closed forms the diffusion tests compare against (STYLE §9). The condition is ignored.
public struct GaussianDenoiser: Denoiser {
    /// μ, the data mean.
    public let mean: Double
    /// s, the data standard deviation.
    public let std: Double

    /// The exact denoiser of N(`mean`, `std`²).
    public init(mean: Double, std: Double) {
        self.mean = mean
        self.std = std
    }

    /// D(x; σ) = E[x₀ | x₀ + σn = x] = (s²·x + σ²·μ)/(s² + σ²) for `x` `[batch, …]` and `sigma` `[batch]`.
    public func callAsFunction(_ x: Tensor, sigma: Tensor, condition: DiffusionCondition) throws -> Tensor {
        let sigma2 = try (sigma * sigma).appendingUnitAxes(toRank: x.ndim)
        let s2 = std * std
        return try (s2 * x + mean * sigma2) / (sigma2 + s2)
    }

    /// The exact ε-predictor in VP form, as a network closure F(x_t, n, c) for noise levels n = √(1−ᾱ):
    /// ε̂ = E[ε | x_t] = (x_t − √ᾱ·E[x₀ | x_t])/n with E[x₀ | x_t] = μ + s²√ᾱ·(x_t − √ᾱμ)/(ᾱs² + n²).
    public var epsilonNetwork: DiffusionNetwork {
        let (mu, s2) = (mean, std * std)
        return { xt, noiseLevel, _ in
            let n = try noiseLevel.appendingUnitAxes(toRank: xt.ndim)
            let n2 = try n * n
            let sqrtAlphaBar = try sqrt(1 - n2)
            let alphaBar = try 1 - n2
            let posteriorMean = try mu + s2 * sqrtAlphaBar * (xt - sqrtAlphaBar * mu) / (alphaBar * s2 + n2)
            return try (xt - sqrtAlphaBar * posteriorMean) / n
        }
    }

    /// The exact probability-flow ODE solution from x(σ_max) = `start` to level `sigma`:
    /// x(σ) = μ + (x_max − μ)·√((s² + σ²)/(s² + σ_max²)).
    public func odeSolution(start: Double, sigmaMax: Double, sigma: Double = 0) -> Double {
        let s2 = std * std
        return mean + (start - mean) * ((s2 + sigma * sigma) / (s2 + sigmaMax * sigmaMax)).squareRoot()
    }

    /// Var(ε | x_t) = ᾱs²/(ᾱs² + 1 − ᾱ): the per-element expected ε-loss of the exact predictor at ᾱ.
    public func epsilonResidualVariance(alphaBar: Double) -> Double {
        alphaBar * std * std / (alphaBar * std * std + 1 - alphaBar)
    }
}
