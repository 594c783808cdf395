import Torch

/// Heun's method for the probability-flow ODE (Karras et al. 2022 Alg. 1; spec §C.2): an Euler predictor,
/// then the average of both slopes; the last step, to σ = 0, stays Euler. Second order; 2N − 1 evaluations.
public struct HeunSampler: Sampler {
    /// A deterministic Heun sampler (no knobs yet).
    public init() {}

    /// Runs Heun from x = `noise`·σ₀ over `sigmas` (see `Sampler`); the generator is not used.
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        let levels = try samplingLevels(sigmas)
        var x = try noise * levels[0]
        for i in 0..<(levels.count - 1) {
            let (sigma, next) = (levels[i], levels[i + 1])
            let denoised = try denoiser(x, sigma: sigma, condition: condition)
            let d = try odeDerivative(x, denoised: denoised, sigma: sigma)
            let predictor = try x + (next - sigma) * d
            if next > 0 {
                let d2 = try odeDerivative(
                    predictor, denoised: denoiser(predictor, sigma: next, condition: condition), sigma: next)
                x = try x + (next - sigma) / 2 * (d + d2)
            } else {
                x = predictor
            }
            try onStep?(SamplerStep(index: i, count: levels.count - 1, sigma: sigma, nextSigma: next, x: x, denoised: denoised))
        }
        return x
    }
}
