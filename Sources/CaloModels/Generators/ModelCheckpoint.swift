import Foundation
import Torch

/// A CaloForge checkpoint as read from disk: one safetensors file for every model and every producer (train,
/// import, distill).
///
/// Metadata: `format` (``format``), `model` (the model kind, the ``GeneratorRegistry`` key), `config` (the
/// ``GeneratorConfiguration`` as JSON), `geometry`, the preprocessing statistics (`preprocessing.…`),
/// `caloforge_version` and `provenance` (a ``CheckpointProvenance`` as JSON). A training checkpoint
/// (`last.safetensors`) holds the same metadata plus the optimizer state; its sampling weights are the EMA
/// weights when there are any.
public struct ModelCheckpoint {
    /// The `format` metadata value of CaloForge model checkpoints.
    public static let format = "caloforge-model"
    /// The metadata key of the model kind.
    public static let modelKey = "model"
    /// The metadata key of the configuration JSON.
    public static let configurationKey = "config"
    /// The metadata key of the provenance JSON.
    public static let provenanceKey = "provenance"
    /// The `format` of checkpoints written by `caloforge import` before version 0.2 (network configuration only).
    static let legacyImportFormat = "caloforge.calodiffusion.v1"

    /// The file read.
    public let path: String
    /// The model kind (`calodiffusion`, …).
    public let modelKind: String
    /// All metadata of the file.
    public let metadata: [String: String]
    /// The sampling weights: the state dict of every network (EMA weights of a training checkpoint).
    public let tensors: [String: Tensor]
    /// Whether this is a training checkpoint (weights, optimizer and trainer state).
    public let isTrainingState: Bool

    /// The configuration JSON.
    public var configurationJSON: String? { metadata[Self.configurationKey] }

    /// Where the weights came from; older checkpoints without `provenance` metadata get one rebuilt from their
    /// `step`, `validationLoss`, `weights`, `source` and `date` keys.
    public var provenance: CheckpointProvenance? {
        if let json = metadata[Self.provenanceKey],
            let record = try? JSONDecoder().decode(CheckpointProvenance.self, from: Data(json.utf8))
        {
            return record
        }
        guard metadata["step"] != nil || metadata["source"] != nil || isTrainingState else { return nil }
        var record = CheckpointProvenance(
            producer: metadata["source"] != nil ? "import" : "train", source: metadata["source"],
            step: metadata["step"].flatMap(Int.init), validationLoss: metadata["validationLoss"].flatMap(Double.init),
            weights: metadata["weights"])
        record.date = metadata["date"] ?? "unknown"
        record.caloforgeVersion = metadata["caloforge_version"] ?? "before 0.2"
        return record
    }

    /// Reads a checkpoint: the file must exist, be safetensors, name its model kind, and hold finite weights.
    ///
    /// - Throws: ``ModelError/fileNotFound(path:)``, ``ModelError/unreadableFile(path:reason:)``,
    ///   ``ModelError/notACheckpoint(path:reason:)`` for a safetensors file that is not a CaloForge checkpoint,
    ///   ``ModelError/nonFiniteWeights(path:tensor:count:)``.
    public static func read(_ url: URL) throws -> ModelCheckpoint {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ModelError.fileNotFound(path: url.path) }
        let file: Safetensors.File
        do {
            file = try Safetensors.open(url)
        } catch TorchError.safetensors(_, let message) {
            throw ModelError.unreadableFile(path: url.path, reason: message)
        }
        let kind: String
        if let named = file.metadata[modelKey] {
            kind = named
        } else if file.metadata["format"] == legacyImportFormat {
            kind = "calodiffusion"
        } else {
            throw ModelError.notACheckpoint(
                path: url.path,
                reason: "its metadata names no model kind ('\(modelKey)'); use a file written by caloforge train or import, "
                    + "or convert reference weights with `caloforge import --from FILE -o model.safetensors`")
        }
        let all = try file.tensors()
        let isTraining = file.metadata["optimizer.kind"] != nil
        var weights: [String: Tensor] = [:]
        if isTraining {
            // last.safetensors prefixes the weights with "model." (and the EMA copies with "ema.").
            for (key, tensor) in all where key.hasPrefix("model.") { weights[String(key.dropFirst(6))] = tensor }
            for (key, tensor) in all where key.hasPrefix("ema.") {
                let name = String(key.dropFirst(4))
                // Runs with several trained parts prefix the EMA copies with the part's name: their sampling
                // weights are in best.safetensors, where the trainer has put them in place.
                guard weights[name] != nil else {
                    throw ModelError.invalidCheckpoint(
                        path: url.path,
                        reason: "is the training state of a run with several trained parts (EMA weight '\(key)'); sample from that run's best.safetensors")
                }
                weights[name] = tensor
            }
        } else {
            weights = all
        }
        try CheckpointValues.checkFinite(weights, path: url.path)
        return ModelCheckpoint(path: url.path, modelKind: kind, metadata: file.metadata, tensors: weights, isTrainingState: isTraining)
    }

    /// Decodes the configuration JSON as `type`.
    ///
    /// - Throws: ``ModelError/invalidCheckpoint(path:reason:)`` when it is missing or does not decode.
    public func configuration<C: GeneratorConfiguration>(as type: C.Type) throws -> C {
        guard let json = configurationJSON else {
            throw ModelError.invalidCheckpoint(path: path, reason: "has no configuration ('\(Self.configurationKey)' metadata)")
        }
        do {
            let configuration = try JSONDecoder().decode(C.self, from: Data(json.utf8))
            try configuration.validate()
            return configuration
        } catch let error as ModelError {
            throw error
        } catch {
            throw ModelError.invalidCheckpoint(path: path, reason: "its \(C.modelKind) configuration cannot be read (\(error))")
        }
    }
}
