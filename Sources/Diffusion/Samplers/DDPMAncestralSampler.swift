import Torch

/// Ancestral DDPM sampling, CaloDiffusion's sampler (Ho et al. 2020 Alg. 2; spec §A.12), on a VP state.
///
/// On `DDPMSchedule.samplingSigmas` the levels are the time list T−1−offset, …, 0, and each step is
/// mean = (x_t − β_t·ε̂/√(1−ᾱ_t))/√α_t, x_{t−1} = mean + √(posterior variance_t)·z, with no noise at t = 0.
public struct DDPMAncestralSampler: Sampler {
    /// Leading levels skipped (CaloDiffusion `sample_offset`; 2 for ds1/ds2, 0 for ds3). The start is still
    /// x ~ N(0, I), not rescaled. Why: the clipped last β makes 1/√α_{T−1} = 100, so the first step multiplies
    /// an ε̂ error by β/(√(1−ᾱ)·√α) ≈ 100; starting at t = T−3 that factor is ≈ 0.83 (spec §A.12, F.6).
    public var offset: Int

    /// A DDPM sampler starting `offset` levels late.
    public init(offset: Int = 0) { self.offset = offset }

    /// Runs ancestral DDPM from x_T = `noise` over `sigmas` minus its first `offset` levels (see `Sampler`).
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        try walkLevels(sigmas, droppingFirst: offset, start: { _ in noise }, onStep: onStep) { x, sigma, next in
            let step = VPTransition(sigma: sigma, next: next)
            let (denoised, epsilon) = try denoiseVariancePreserving(denoiser, x, sigma: sigma, condition: condition)
            let mean = try (x - (step.beta / step.noiseLevel) * epsilon) / step.alpha.squareRoot()
            let spread = step.posteriorVariance.squareRoot()
            return (try spread > 0 ? mean + spread * freshNoise(like: x, generator: generator) : mean, denoised)
        }
    }
}
