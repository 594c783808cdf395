import CaloData
import Torch
import TorchNN

/// A generative shower model the ``Trainer`` can train: its parameters live in ``module``, and
/// ``loss(_:generator:)`` returns the scalar training objective of one batch (fresh noise drawn from
/// `generator`). ``checkpointMetadata`` is everything needed to rebuild the model from a checkpoint
/// (configuration JSON, fitted preprocessing statistics).
public protocol TrainableShowerModel: AnyObject {
    var module: Module { get }
    func loss(_ batch: ShowerBatch, generator: Generator) throws -> Tensor
    var checkpointMetadata: [String: String] { get }
}
