import Torch

/// DDIM sampling (Song et al. 2021 eq. 12) on a VP state: with ᾱ, ᾱ′ of the current and next level,
/// x′ = √ᾱ′·D + √(1 − ᾱ′ − s²)·ε̂ + s·z, s = η·√((1 − ᾱ′)/(1 − ᾱ))·√(1 − ᾱ/ᾱ′).
///
/// η = 0 is deterministic: Euler's method for the probability-flow ODE in x/√ᾱ and σ (first order).
/// η = 1 on consecutive levels is ancestral DDPM (s² is the posterior variance).
public struct DDIMSampler: Sampler {
    /// The stochasticity η ≥ 0 (0: deterministic, 1: DDPM-like).
    public var eta: Double

    /// A DDIM sampler with stochasticity `eta`.
    public init(eta: Double = 0) { self.eta = eta }

    /// Runs DDIM from x_T = `noise` over `sigmas` (see `Sampler`).
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        try walkLevels(sigmas, start: { _ in noise }, onStep: onStep) { x, sigma, next in
            let step = VPTransition(sigma: sigma, next: next)
            let (denoised, epsilon) = try denoiseVariancePreserving(denoiser, x, sigma: sigma, condition: condition)
            let spread = eta * step.posteriorVariance.squareRoot()
            let noiseWeight = max(1 - step.nextAlphaBar - spread * spread, 0).squareRoot()
            let mean = try step.nextAlphaBar.squareRoot() * denoised + noiseWeight * epsilon
            return (try spread > 0 ? mean + spread * freshNoise(like: x, generator: generator) : mean, denoised)
        }
    }
}
