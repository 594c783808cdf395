import Foundation
import Torch
import TorchNN

/// Where a classifier training keeps its state between epochs, so that an interrupted evaluation
/// picks it up again (`caloforge evaluate --resume`), and when it should stop.
///
/// The folder holds `training.safetensors`, a ``TrainingCheckpoint`` after the last finished epoch
/// (weights, Adam moments, the training and dropout generators, the epoch records as JSON), and
/// `best-epoch-<n>.safetensors`, the weights of the best epoch so far. Both are written atomically,
/// the best weights first, so a kill at any moment leaves a consistent pair.
public struct ClassifierCheckpointing: Sendable {
    /// The folder of this one training (created when first saved).
    public let directory: URL
    /// Asked after every saved epoch; true ends the training with ``EvaluationError/interrupted(resumeFrom:)``.
    public let shouldStop: @Sendable () -> Bool
    /// Called after every saved epoch (the evaluation uses it to keep its time ledger current).
    public let onSave: @Sendable () -> Void

    public init(
        directory: URL, shouldStop: @escaping @Sendable () -> Bool = { false }, onSave: @escaping @Sendable () -> Void = {}
    ) {
        self.directory = directory
        self.shouldStop = shouldStop
        self.onSave = onSave
    }

    /// The checkpoint of the last finished epoch.
    public var stateFile: URL { directory.appendingPathComponent("training.safetensors") }

    func bestFile(epoch: Int) -> URL { directory.appendingPathComponent("best-epoch-\(epoch).safetensors") }

    /// What the checkpoint keeps besides tensors.
    struct Progress: Codable {
        var epochs: [ClassifierEpoch]
        var bestEpoch: Int
        var bestAccuracy: Double
    }

    /// A saved training state restored into `model`, `optimizer` and `generators`.
    struct Restored {
        var epochs: [ClassifierEpoch]
        var bestEpoch: Int
        var bestAccuracy: Double
        var bestState: [String: Tensor]
    }

    /// Loads the saved state into the given objects; nil when nothing was saved yet.
    ///
    /// - Throws: ``EvaluationError/cannotResume(path:reason:)`` when the files do not fit the network
    ///   or are inconsistent.
    func restore(model: Module, optimizer: Optimizer, generators: [String: Generator]) throws -> Restored? {
        guard FileManager.default.fileExists(atPath: stateFile.path) else { return nil }
        func fail(_ reason: String) -> EvaluationError { .cannotResume(path: stateFile.path, reason: reason) }
        let saved: TrainingCheckpoint
        do {
            saved = try TrainingCheckpoint.load(from: stateFile, model: model, optimizer: optimizer, generators: generators)
        } catch {
            throw fail("\(error)")
        }
        guard let progress = try? saved.decodeScheduleState(Progress.self), progress.epochs.count == saved.step,
            (1...Swift.max(1, saved.step)).contains(progress.bestEpoch)
        else {
            throw fail("its epoch records are missing or do not match its \(saved.step) epochs")
        }
        let bestURL = bestFile(epoch: progress.bestEpoch)
        let bestState: [String: Tensor]
        do {
            bestState = try Safetensors.load(bestURL).tensors
        } catch {
            throw fail("the weights of its best epoch (\(bestURL.lastPathComponent)) cannot be read: \(error)")
        }
        return Restored(
            epochs: progress.epochs, bestEpoch: progress.bestEpoch, bestAccuracy: progress.bestAccuracy, bestState: bestState)
    }

    /// Saves the state after an epoch; `best.state` is written only when that epoch became the best.
    func save(
        model: Module, optimizer: Optimizer, generators: [String: Generator], epochs: [ClassifierEpoch],
        best: (epoch: Int, accuracy: Double, state: [String: Tensor]?)
    ) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw EvaluationError.cannotWrite(path: directory.path, reason: error.localizedDescription)
        }
        if let state = best.state { try Safetensors.save(state, to: bestFile(epoch: best.epoch)) }
        try TrainingCheckpoint.save(
            to: stateFile, step: epochs.count, model: model, optimizer: optimizer, generators: generators,
            scheduleState: Progress(epochs: epochs, bestEpoch: best.epoch, bestAccuracy: best.accuracy))
        let keep = bestFile(epoch: best.epoch).lastPathComponent
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in files where name.hasPrefix("best-epoch-") && name != keep {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
        onSave()
    }
}
