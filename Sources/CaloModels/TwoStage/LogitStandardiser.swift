import Torch
import TorchNN

/// The per-feature map of CaloScore v2 (spec/models.md §B.2.1) between values in [0, 1] and the
/// network's space: y = (logit(α + (1 − 2α)·x) − μ)/s, with α = ``alpha`` and the per-feature mean μ
/// and standard deviation s fitted on training data (``fit(_:)``) and kept as buffers (`mean`, `std`),
/// so a checkpoint carries them. Features that never vary get s = 1. The inverse clamps nothing:
/// σ(y·s + μ) is in (0, 1) for any y, and (σ − α)/(1 − 2α) is clamped to [0, 1].
public final class LogitStandardiser: Module {
    /// The logit offset α (values 0 and 1 map to ∓ln((1 − α)/α)).
    public let alpha: Double
    @Buffer public var mean: Tensor
    @Buffer public var std: Tensor

    /// An unfitted map (μ = 0, s = 1) of `features` features.
    public init(features: Int, alpha: Double = 1e-6) throws {
        guard features >= 1 else { throw ModelError.invalidConfig("a standardiser needs at least 1 feature, got \(features)") }
        guard alpha > 0, alpha < 0.5 else { throw ModelError.invalidConfig("the logit offset alpha must lie in (0, 0.5), got \(alpha)") }
        self.alpha = alpha
        mean = try Tensor.zeros([features])
        std = try Tensor.ones([features])
        super.init()
    }

    /// The logit of values `[B, F]` before standardisation, in float64 (α may be far below float32's
    /// resolution near 1).
    func logits(_ x: Tensor) throws -> Tensor {
        try (x.to(dtype: .float64).clamped(min: 0, max: 1) * (1 - 2 * alpha) + alpha).logit()
    }

    /// Sets μ and s to the mean and standard deviation of logit(`values`) `[B, F]` over the batch.
    public func fit(_ values: Tensor) throws {
        try withNoGrad {
            let y = try logits(values)
            let m = try y.mean(dims: [0])
            let s = try y.standardDeviation(dims: [0], correction: 0)
            let safe = try `where`(s .> 1e-6, s, s.onesLike())
            try mean.copy_(m.to(dtype: mean.dtype, device: mean.device))
            try std.copy_(safe.to(dtype: std.dtype, device: std.device))
        }
    }

    /// Values in [0, 1] `[B, F]` → standardised logits `[B, F]`.
    public func forward(_ x: Tensor) throws -> Tensor {
        try ((logits(x) - mean.to(dtype: .float64)) / std.to(dtype: .float64)).to(dtype: x.dtype)
    }

    /// Standardised logits `[B, F]` → values in [0, 1] `[B, F]`.
    public func inverse(_ y: Tensor) throws -> Tensor {
        let z = try (y.to(dtype: .float64) * std.to(dtype: .float64) + mean.to(dtype: .float64)).sigmoid()
        return try ((z - alpha) / (1 - 2 * alpha)).clamped(min: 0, max: 1).to(dtype: y.dtype)
    }
}
