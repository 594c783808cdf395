import Torch

/// What a sampler reports after each step.
public struct SamplerStep {
    /// The step just taken, 0-based.
    public let index: Int
    /// The number of steps of this run.
    public let count: Int
    /// The VE noise level the step started from.
    public let sigma: Double
    /// The VE noise level the step reached (0 after the last step).
    public let nextSigma: Double
    /// The sampler's state after the step, `[batch, …]` (VP samplers keep x/√(1 + σ²), VE samplers x).
    public let x: Tensor
    /// D(x; σ), the clean-sample estimate made at the start of the step, `[batch, …]`.
    public let denoised: Tensor

    /// A step report.
    public init(index: Int, count: Int, sigma: Double, nextSigma: Double, x: Tensor, denoised: Tensor) {
        self.index = index
        self.count = count
        self.sigma = sigma
        self.nextSigma = nextSigma
        self.x = x
        self.denoised = denoised
    }
}
