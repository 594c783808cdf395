import Torch

/// Work done after every optimizer step of a ``Trainer`` (an EMA of weights, a teacher update in
/// progressive distillation). A hook whose effect must survive a resume saves its tensors in
/// ``checkpointTensors`` and takes them back in ``restore(_:)``.
public protocol TrainingHook: AnyObject {
    /// Runs after step `step` (1 for the first step of a run, counted across resumes) has updated every part.
    func afterStep(_ step: Int) throws
    /// Tensors stored in `last.safetensors` under these full keys (e.g. `ema.<key>`); they must not
    /// clash with other keys of the checkpoint.
    var checkpointTensors: [String: Tensor] { get }
    /// Takes back the tensors of ``checkpointTensors`` (exactly those keys) from a checkpoint.
    func restore(_ tensors: [String: Tensor]) throws
    /// Weights that replace the trained ones in best.safetensors, keyed as there (empty: none).
    var samplingWeights: [String: Tensor] { get }
}

extension TrainingHook {
    /// No state to save.
    public var checkpointTensors: [String: Tensor] { [:] }
    /// Nothing to restore.
    public func restore(_ tensors: [String: Tensor]) throws {}
    /// No replacement weights.
    public var samplingWeights: [String: Tensor] { [:] }
}
