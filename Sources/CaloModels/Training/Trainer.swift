import CaloData
import Foundation
import Logging
import Torch
import TorchNN

/// One update reported to the caller of ``Trainer/run(timeLimit:onProgress:)``.
public struct TrainingProgress: Sendable {
    public enum Phase: Sendable { case training, validation, checkpoint }
    public var phase: Phase
    public var step: Int
    public var epoch: Int
    public var batchInEpoch: Int
    public var batchesPerEpoch: Int
    /// Loss of the latest batch (training) or the validation loss.
    public var loss: Double
    public var learningRate: Double
}

/// One line of `metrics.jsonl`, written at the end of every epoch.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    public var step: Int
    public var trainLoss: Double
    public var validationLoss: Double
    public var learningRate: Double
    public var seconds: Double
}

/// Why ``Trainer/run(timeLimit:onProgress:)`` returned.
public enum TrainingOutcome: String, Codable, Sendable {
    case maxEpochs = "reached the epoch limit"
    case maxSteps = "reached the step limit"
    case earlyStopped = "stopped early (validation loss stayed above training loss)"
    case timeLimit = "used up its time limit; continue with --resume"
    case interrupted = "was interrupted; continue with --resume"
}

/// Everything besides tensors that a resumed run needs, stored as JSON in `last.safetensors`.
struct TrainerState: Codable, Equatable {
    var step = 0
    var epochLossSum = 0.0
    var epochBatches = 0
    var bestValidationLoss: Double?
    var earlyStopCount = 0
    var plateau: ReduceOnPlateau
    var loader: ShowerLoader.State
    var secondsTrained = 0.0
    var finished: TrainingOutcome?
}

/// Trains a ``TrainableShowerModel`` with Adam, ReduceLROnPlateau on the training loss, early
/// stopping in CaloDiffusion's "diff" mode and an optional EMA (spec/models.md §A.14), writing into a
/// run folder:
/// - `last.safetensors` — a ``TrainingCheckpoint`` (weights, optimizer, EMA, generator states, trainer
///   state) written atomically every ``TrainingConfig/checkpointEverySteps`` steps, at every epoch end
///   and when the run stops; ``resume()`` continues from it exactly (same losses, same weights);
/// - `best.safetensors` — the weights (EMA weights when enabled) of the best validation loss, for sampling;
/// - `metrics.jsonl` — one ``EpochRecord`` per epoch.
public final class Trainer {
    public let model: TrainableShowerModel
    public let config: TrainingConfig
    public let runDirectory: URL
    let loader: ShowerLoader
    let optimizer: Adam
    let ema: EMA?
    let noise: Generator
    var state: TrainerState
    let logger: Logger
    private var runStart = Date()
    private var secondsBeforeRun = 0.0

    public var lastCheckpoint: URL { runDirectory.appendingPathComponent("last.safetensors") }
    public var bestCheckpoint: URL { runDirectory.appendingPathComponent("best.safetensors") }
    public var metricsFile: URL { runDirectory.appendingPathComponent("metrics.jsonl") }
    /// Completed optimizer steps.
    public var step: Int { state.step }

    public init(model: TrainableShowerModel, loader: ShowerLoader, config: TrainingConfig, runDirectory: URL,
                logger: Logger = Logger(label: "caloforge.train")) throws {
        try config.validate()
        self.model = model
        self.loader = loader
        self.config = config
        self.runDirectory = runDirectory
        self.logger = logger
        optimizer = Adam(parameters: model.module.parameters(), learningRate: config.learningRate)
        ema = try config.emaDecay.map { try EMA(model.module, decay: $0) }
        noise = try Generator(seed: config.seed &+ 2, device: loader.device)
        state = TrainerState(
            plateau: ReduceOnPlateau(factor: config.plateauFactor, patience: config.plateauPatience), loader: loader.state())
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
    }

    /// Restores the run from `last.safetensors`. Throws ``ModelError/invalidRun(_:)`` when there is none.
    public func resume() throws {
        guard FileManager.default.fileExists(atPath: lastCheckpoint.path) else {
            throw ModelError.invalidRun("--resume: \(lastCheckpoint.path) does not exist; start the run without --resume")
        }
        let checkpoint = try TrainingCheckpoint.load(
            from: lastCheckpoint, model: model.module, optimizer: optimizer, ema: ema, generators: ["noise": noise])
        guard let restored = try checkpoint.decodeScheduleState(TrainerState.self) else {
            throw ModelError.invalidCheckpoint(path: lastCheckpoint.path, reason: "has no trainer state; it was not written by caloforge train")
        }
        try loader.restore(restored.loader)
        state = restored
        state.finished = nil
        try trimMetrics(toStep: state.step)
        logger.info("resumed", metadata: ["step": "\(state.step)", "epoch": "\(loader.epoch)"])
    }

    /// Asked before every step; when it returns true, ``run(timeLimit:onProgress:)`` checkpoints and
    /// returns ``TrainingOutcome/interrupted`` (`caloforge train` sets it to "Ctrl-C was pressed").
    public var shouldStop: () -> Bool = { false }

    /// Trains until an epoch/step limit, early stopping, `timeLimit` seconds or ``shouldStop``,
    /// checkpointing on the way and at the end.
    @discardableResult
    public func run(timeLimit: TimeInterval? = nil, onProgress: (TrainingProgress) -> Void = { _ in }) throws -> TrainingOutcome {
        let start = Date()
        runStart = start
        secondsBeforeRun = state.secondsTrained
        var epochStart = Date()
        model.module.train()
        while true {
            if loader.epoch >= config.maxEpochs { return try stop(.maxEpochs, start) }
            if let maxSteps = config.maxSteps, state.step >= maxSteps { return try stop(.maxSteps, start) }
            if let timeLimit, Date().timeIntervalSince(start) >= timeLimit { return try stop(.timeLimit, start) }
            if shouldStop() { return try stop(.interrupted, start) }
            let batchInEpoch = loader.position / Swift.max(loader.batchSize, 1)
            guard let batch = try loader.nextBatch() else {
                if try finishEpoch(seconds: Date().timeIntervalSince(epochStart), onProgress: onProgress) {
                    return try stop(.earlyStopped, start)
                }
                epochStart = Date()
                continue
            }
            try optimizer.zeroGrad()
            let loss = try model.loss(batch, generator: noise)
            try loss.backward()
            if let clip = config.gradientClip { try clipGradientNorm(optimizer.parameters, maxNorm: clip) }
            try optimizer.step()
            try ema?.update(from: model.module)
            let value = try loss.item()
            guard value.isFinite else {
                throw ModelError.invalidRun("training loss became \(value) at step \(state.step + 1); lower the learning rate or check the data")
            }
            state.step += 1
            state.epochLossSum += value
            state.epochBatches += 1
            onProgress(TrainingProgress(phase: .training, step: state.step, epoch: loader.epoch, batchInEpoch: batchInEpoch + 1,
                                        batchesPerEpoch: loader.batchesPerEpoch, loss: value, learningRate: optimizer.learningRate))
            if state.step % config.checkpointEverySteps == 0 {
                try saveLast()
                onProgress(TrainingProgress(phase: .checkpoint, step: state.step, epoch: loader.epoch, batchInEpoch: batchInEpoch + 1,
                                            batchesPerEpoch: loader.batchesPerEpoch, loss: value, learningRate: optimizer.learningRate))
            }
        }
    }

    /// Mean loss over the validation split, with noise from a fixed seed so that it is comparable
    /// between epochs and identical after a resume.
    public func validationLoss() throws -> Double {
        model.module.eval()
        defer { model.module.train() }
        let generator = try Generator(seed: config.seed &+ 3, device: loader.device)
        var sum = 0.0
        var count = 0
        try withNoGrad {
            for index in 0..<loader.validationBatchCount {
                let batch = try loader.validationBatch(index)
                sum += try model.loss(batch, generator: generator).item() * Double(batch.count)
                count += batch.count
            }
        }
        return sum / Double(Swift.max(count, 1))
    }

    /// Returns true when early stopping triggers.
    private func finishEpoch(seconds: Double, onProgress: (TrainingProgress) -> Void) throws -> Bool {
        let trainLoss = state.epochLossSum / Double(Swift.max(state.epochBatches, 1))
        let validation = try validationLoss()
        let finishedEpoch = loader.epoch - 1
        onProgress(TrainingProgress(phase: .validation, step: state.step, epoch: finishedEpoch, batchInEpoch: 0,
                                    batchesPerEpoch: loader.batchesPerEpoch, loss: validation, learningRate: optimizer.learningRate))
        try appendMetrics(EpochRecord(epoch: finishedEpoch, step: state.step, trainLoss: trainLoss, validationLoss: validation,
                                      learningRate: optimizer.learningRate, seconds: seconds))
        logger.info("epoch", metadata: ["epoch": "\(finishedEpoch)", "step": "\(state.step)", "loss": "\(trainLoss)", "validation": "\(validation)"])
        optimizer.learningRate = state.plateau.observe(trainLoss, learningRate: optimizer.learningRate)
        state.earlyStopCount = validation - trainLoss >= 0 ? state.earlyStopCount + 1 : 0
        state.epochLossSum = 0
        state.epochBatches = 0
        if state.bestValidationLoss.map({ validation < $0 }) ?? true {
            state.bestValidationLoss = validation
            try saveBest(validationLoss: validation)
        }
        try saveLast()
        if let patience = config.earlyStopPatience, state.earlyStopCount >= patience { return true }
        return false
    }

    private func stop(_ outcome: TrainingOutcome, _ start: Date) throws -> TrainingOutcome {
        state.finished = outcome
        try saveLast()
        if !FileManager.default.fileExists(atPath: bestCheckpoint.path) {
            try saveBest(validationLoss: try validationLoss())
        }
        logger.info("stopped", metadata: ["reason": "\(outcome.rawValue)", "step": "\(state.step)"])
        return outcome
    }

    private func saveLast() throws {
        state.loader = loader.state()
        state.secondsTrained = secondsBeforeRun + Date().timeIntervalSince(runStart)
        var metadata = model.checkpointMetadata
        metadata["training"] = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        try TrainingCheckpoint.save(
            to: lastCheckpoint, step: state.step, model: model.module, optimizer: optimizer, ema: ema,
            generators: ["noise": noise], scheduleState: state, metadata: metadata)
    }

    /// Writes the sampling checkpoint: the state dict with EMA weights when enabled, plus the model metadata.
    private func saveBest(validationLoss: Double) throws {
        var tensors = model.module.stateDict()
        if let ema { for (key, shadow) in ema.shadow { tensors[key] = shadow } }
        var metadata = model.checkpointMetadata
        metadata["step"] = String(state.step)
        metadata["validationLoss"] = String(validationLoss)
        metadata["weights"] = ema == nil ? "raw" : "ema"
        try Safetensors.save(tensors, metadata: metadata, to: bestCheckpoint)
    }

    private func appendMetrics(_ record: EpochRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var line = try encoder.encode(record)
        line.append(0x0A)
        if let handle = try? FileHandle(forWritingTo: metricsFile) {
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
        } else {
            try line.write(to: metricsFile, options: .atomic)
        }
    }

    /// Drops epoch records written after the checkpoint a resumed run continues from.
    private func trimMetrics(toStep step: Int) throws {
        guard let data = try? Data(contentsOf: metricsFile) else { return }
        let decoder = JSONDecoder()
        let kept = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { line in
            guard let record = try? decoder.decode(EpochRecord.self, from: Data(line.utf8)) else { return false }
            return record.step <= step
        }
        try Data((kept.joined(separator: "\n") + (kept.isEmpty ? "" : "\n")).utf8).write(to: metricsFile, options: .atomic)
    }
}
