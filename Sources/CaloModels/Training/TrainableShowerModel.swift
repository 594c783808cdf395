import CaloData
import Torch
import TorchNN

/// A generative shower model the ``Trainer`` can train: its parameters live in ``module``, and
/// ``loss(_:generator:)`` returns the scalar training objective of one batch (fresh noise drawn from
/// `generator`). ``checkpointMetadata`` is everything needed to rebuild the model from a checkpoint
/// (configuration JSON, fitted preprocessing statistics). A model of several networks (an energy and a
/// shape network trained together) lists them in ``trainedParts(_:)``, each with its own policies; its
/// loss then covers all of them.
public protocol TrainableShowerModel: AnyObject {
    var module: Module { get }
    func loss(_ batch: ShowerBatch, generator: Generator) throws -> Tensor
    var checkpointMetadata: [String: String] { get }
    /// The networks the trainer optimises, with their policies; `config` is the run's configuration.
    func trainedParts(_ config: TrainingConfig) -> [TrainedPart]
    /// Fits data-dependent preprocessing (feature statistics) on training showers before a new run starts;
    /// a resumed run restores it from its checkpoint instead. The default does nothing.
    func prepare(training: ShowerBatch) throws
}

extension TrainableShowerModel {
    /// One part named "model" over ``module`` with the policies of `config`.
    public func trainedParts(_ config: TrainingConfig) -> [TrainedPart] {
        [TrainedPart(name: "model", module: module, policies: config.policies)]
    }

    /// Nothing to fit.
    public func prepare(training: ShowerBatch) throws {}
}
