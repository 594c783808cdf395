import Torch

/// A denoiser that counts the evaluations of the one it wraps: the network function evaluations (NFE) of
/// a run. One evaluation covers the whole batch, so the count is also the NFE per sample. A class, so the
/// count survives being passed to a sampler by value; not `Sendable` (a run lives on one task).
public final class CountingDenoiser<Base: Denoiser>: Denoiser {
    /// The wrapped denoiser.
    public let base: Base
    /// Evaluations so far.
    public private(set) var evaluations = 0

    /// Wraps `base` with the count at 0.
    public init(_ base: Base) { self.base = base }

    /// D(x; σ, c) of `base`, counted.
    public func callAsFunction(_ x: Tensor, sigma: Tensor, condition: DiffusionCondition) throws -> Tensor {
        evaluations += 1
        return try base(x, sigma: sigma, condition: condition)
    }

    /// Sets the count back to 0.
    public func reset() { evaluations = 0 }
}
