import Torch

/// Predictor–corrector sampling as CaloScore runs it (Song et al. 2021 §4.2; spec §B.1.7), in VE coordinates
/// with score s = (D(x; σ) − x)/σ² and one evaluation per step: `correctorSteps` Langevin updates at σ
/// (`langevinStep`, α = (1 + σ′²)/(1 + σ²)) come first, then the reverse-SDE Euler–Maruyama predictor for
/// dx = √(dσ²/dt)·dw, x̄ = x + (σ² − σ′²)·s, x′ = x̄ + √(σ² − σ′²)·z, both reusing the score evaluated before
/// the corrector moved x. Each further corrector update evaluates again. The last step returns x̄.
///
/// CaloScore's VP form is this one rescaled: its state is x/√(1 + σ²) and its score √(1 + σ²)·s, so the
/// corrector's ε (a ratio of norms) and update are the same; α is its discrete VP α_i = ᾱ_i/ᾱ_{i−1}; its
/// predictor, x̄ = x − (f − g²·s)·dt with f = −½β·x, differs from this one by O(dt²) per step.
public struct PredictorCorrectorSampler: Sampler {
    /// r > 0, the corrector's signal-to-noise ratio (CaloScore configs: 0.2).
    public var snr: Double
    /// Langevin updates per step; 0 leaves the Euler–Maruyama predictor alone.
    public var correctorSteps: Int

    /// A PC sampler with signal-to-noise ratio `snr` and `correctorSteps` corrector updates per step.
    public init(snr: Double = 0.2, correctorSteps: Int = 1) { (self.snr, self.correctorSteps) = (snr, correctorSteps) }

    /// Runs PC from x = `noise`·σ₀ over `sigmas` (see `Sampler`).
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        try walkLevels(sigmas, start: { try noise * $0 }, onStep: onStep) { start, sigma, next in
            let (alpha, variance) = (VPTransition(sigma: sigma, next: next).alpha, sigma * sigma - next * next)
            var (x, (denoised, score)) = (start, try scored(denoiser, start, sigma: sigma, condition: condition))
            for update in 0..<correctorSteps {
                if update > 0 { (denoised, score) = try scored(denoiser, x, sigma: sigma, condition: condition) }
                x = try langevinStep(x, score: score, snr: snr, alpha: alpha, generator: generator)
            }
            let mean = try x + variance * score
            return (try next > 0 ? mean + variance.squareRoot() * freshNoise(like: x, generator: generator) : mean, denoised)
        }
    }
}
