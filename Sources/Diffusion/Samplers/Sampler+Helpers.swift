import Torch

// Math shared by the samplers (k-diffusion keeps these as `to_d`, `get_ancestral_step`, …).

/// Checks that `sigmas` is strictly descending, positive and ends in 0, then drops `offset` leading levels.
func samplingLevels(_ sigmas: [Double], droppingFirst offset: Int = 0) throws -> [Double] {
    guard sigmas.count >= 2 else { throw DiffusionError.invalidSigmas(reason: "need at least two values", sigmas: sigmas) }
    guard sigmas.last == 0 else { throw DiffusionError.invalidSigmas(reason: "do not end in 0", sigmas: sigmas) }
    guard sigmas.allSatisfy({ $0.isFinite }), zip(sigmas, sigmas.dropFirst()).allSatisfy({ $0 > $1 }) else {
        throw DiffusionError.invalidSigmas(reason: "are not finite and strictly descending", sigmas: sigmas)
    }
    guard offset >= 0, offset < sigmas.count - 1 else {
        throw DiffusionError.invalidParameter(
            name: "offset", value: "\(offset)", requirement: "must lie in 0..<\(sigmas.count - 1), the number of steps")
    }
    return Array(sigmas.dropFirst(offset))
}

/// The loop every sampler runs: checks `sigmas` and drops `offset` leading levels, starts from
/// `start(σ₀)`, then for each consecutive pair (σ, σ′) lets `step` return the next state and the clean
/// estimate D it made, and reports the step.
func walkLevels(
    _ sigmas: [Double], droppingFirst offset: Int = 0, start: (Double) throws -> Tensor, onStep: SamplerStepCallback?,
    step: (_ x: Tensor, _ sigma: Double, _ next: Double) throws -> (x: Tensor, denoised: Tensor)
) throws -> Tensor {
    let levels = try samplingLevels(sigmas, droppingFirst: offset)
    var x = try start(levels[0])
    for i in 0..<(levels.count - 1) {
        let (sigma, next) = (levels[i], levels[i + 1])
        let (updated, denoised) = try step(x, sigma, next)
        x = updated
        try onStep?(SamplerStep(index: i, count: levels.count - 1, sigma: sigma, nextSigma: next, x: x, denoised: denoised))
    }
    return x
}

/// dx/dσ = (x − D)/σ, the probability-flow ODE in VE form (Karras et al. 2022 eq. 3; k-diffusion `to_d`).
func odeDerivative(_ x: Tensor, denoised: Tensor, sigma: Double) throws -> Tensor {
    try (x - denoised) / sigma
}

/// D and ε̂ for a VP state x_t at level σ: D = D(x_t·√(1 + σ²); σ) and ε̂ = (x_t − √ᾱ·D)/√(1 − ᾱ),
/// which equals the VE derivative (x_t·√(1 + σ²) − D)/σ.
func denoiseVariancePreserving(
    _ denoiser: some Denoiser, _ xt: Tensor, sigma: Double, condition: DiffusionCondition
) throws -> (denoised: Tensor, epsilon: Tensor) {
    let x = try xt * (1 + sigma * sigma).squareRoot()
    let denoised = try denoiser(x, sigma: sigma, condition: condition)
    return try (denoised, odeDerivative(x, denoised: denoised, sigma: sigma))
}

/// N(0, I) noise shaped like `x`, in its dtype and on its device.
func freshNoise(like x: Tensor, generator: Generator) throws -> Tensor {
    try Tensor.randn(x.shape, dtype: x.dtype, device: x.device, generator: generator)
}

/// One Langevin corrector update at a fixed level, as CaloScore runs it (Song et al. 2021 Alg. 5; spec
/// §B.1.7): x + ε·s + √(2ε)·z with ε = 2α·(r·‖z‖/‖s‖)², ‖·‖ the batch mean of per-sample L2 norms.
/// ε stays a 0-d tensor, so the update never reads a value back from the device.
func langevinStep(_ x: Tensor, score: Tensor, snr: Double, alpha: Double, generator: Generator) throws -> Tensor {
    let z = try freshNoise(like: x, generator: generator)
    let ratio = try snr * batchMeanNorm(z) / batchMeanNorm(score)
    let epsilon = try 2 * alpha * (ratio * ratio)
    return try x + epsilon * score + sqrt(2 * epsilon) * z
}

/// The mean over the batch of each sample's L2 norm, a 0-d tensor (CaloScore's `‖·‖` for the corrector).
func batchMeanNorm(_ x: Tensor) throws -> Tensor {
    try x.reshaped([x.dim(0), -1]).norm(dims: [1]).mean()
}

/// D(x; σ) and the score of the noised data at σ, s = (D − x)/σ² (Tweedie's formula in VE form).
func scored(
    _ denoiser: some Denoiser, _ x: Tensor, sigma: Double, condition: DiffusionCondition
) throws -> (denoised: Tensor, score: Tensor) {
    let denoised = try denoiser(x, sigma: sigma, condition: condition)
    return (denoised, try (denoised - x) / (sigma * sigma))
}
