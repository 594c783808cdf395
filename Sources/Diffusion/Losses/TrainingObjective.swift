import Torch

/// The random inputs of one training step: per-sample noise levels and unit noise.
public struct TrainingDraw {
    /// Per-sample noise levels `[batch]`; what they are is the objective's (time index, t or σ).
    public var levels: Tensor
    /// Unit Gaussian noise shaped like the clean batch.
    public var noise: Tensor

    /// A draw of `levels` `[batch]` and `noise` `[batch, …]`.
    public init(levels: Tensor, noise: Tensor) {
        self.levels = levels
        self.noise = noise
    }
}

/// A training objective (EDM `training/loss.py`, STYLE §6): a noise-level distribution, a loss weight λ and a
/// parametrisation of the network, as values.
///
/// Per-element `weights` (broadcastable to the clean batch after trailing unit axes, e.g. a point-cloud padding
/// mask `[batch, points]`; nil means all 1) make the loss Σ w·λ·r² / Σ w, the sums running over every
/// element of the clean batch's shape (w broadcast). Padded elements with w = 0 then change neither the loss
/// nor its gradients, as long as the network's outputs there are finite. With nil weights each instance keeps
/// its own reduction (documented on it), bit for bit.
public protocol TrainingObjective {
    /// Draws the noise levels and noise for a clean batch `[batch, …]` from `generator`, in the order the
    /// objective's reference code draws them.
    func draw(for clean: Tensor, generator: Generator) throws -> TrainingDraw
    /// The scalar loss of `network` on `clean` `[batch, …]` at a given draw.
    func loss(
        _ network: DiffusionNetwork, clean: Tensor, condition: DiffusionCondition, weights: Tensor?, draw: TrainingDraw
    ) throws -> Tensor
}

extension TrainingObjective {
    /// The scalar loss of `network` on `clean` `[batch, …]`, drawing levels and noise from `generator`.
    public func loss(
        _ network: DiffusionNetwork, clean: Tensor, condition: DiffusionCondition, weights: Tensor? = nil,
        generator: Generator
    ) throws -> Tensor {
        try loss(network, clean: clean, condition: condition, weights: weights, draw: draw(for: clean, generator: generator))
    }
}

/// `weights` broadcast to `shape` (trailing unit axes appended) in `dtype`; throws
/// `DiffusionError.weightShapeMismatch` when it cannot broadcast.
func broadcastWeights(_ weights: Tensor, to shape: [Int], dtype: DType) throws -> Tensor {
    let fits = weights.ndim <= shape.count && weights.shape.enumerated().allSatisfy { $0.element == 1 || $0.element == shape[$0.offset] }
    guard fits else { throw DiffusionError.weightShapeMismatch(weightShape: weights.shape, cleanShape: shape) }
    return try weights.to(dtype: dtype).appendingUnitAxes(toRank: shape.count).expanded(shape)
}

/// Σ w·e / Σ w over all elements for per-element losses `perElement`, or their plain mean when `weights` is nil.
func weightedMean(_ perElement: Tensor, weights: Tensor?) throws -> Tensor {
    guard let weights else { return try perElement.mean() }
    let w = try broadcastWeights(weights, to: perElement.shape, dtype: perElement.dtype)
    return try (w * perElement).sum() / w.sum()
}
