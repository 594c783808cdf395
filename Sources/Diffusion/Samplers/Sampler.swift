import Torch

/// Called after each sampler step, e.g. to show progress or record the trajectory.
public typealias SamplerStepCallback = (SamplerStep) throws -> Void

/// A sampling algorithm: takes noise to data over a descending list of noise levels, seeing the model
/// only through its denoiser D (STYLE §6). Conforming types hold only their own knobs.
public protocol Sampler {
    /// Draws samples.
    ///
    /// - Parameters:
    ///   - denoiser: D(x; σ, c).
    ///   - noise: a standard-normal draw `[batch, …]`; each sampler scales it to its starting distribution
    ///     (VE samplers multiply by the first σ, VP samplers use it as x_T). Its dtype is the state's dtype.
    ///   - sigmas: VE noise levels, strictly descending, positive, ending in 0
    ///     (`DDPMSchedule.samplingSigmas`, `KarrasSchedule.sigmas(stepCount:)`).
    ///   - condition: passed unchanged to the denoiser.
    ///   - generator: the source of all fresh noise.
    ///   - onStep: called after every step.
    /// - Returns: the sample at σ = 0, `[batch, …]`.
    /// - Throws: `DiffusionError.invalidSigmas` for a malformed list; whatever the denoiser throws.
    func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor
}

extension Sampler {
    /// Draws samples without a step callback.
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition, generator: Generator
    ) throws -> Tensor {
        try sample(denoiser, noise: noise, sigmas: sigmas, condition: condition, generator: generator, onStep: nil)
    }
}
