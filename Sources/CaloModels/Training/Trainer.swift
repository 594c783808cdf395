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
    case earlyStopped = "stopped early (its stopping rule triggered)"
    case timeLimit = "used up its time limit; continue with --resume"
    case interrupted = "was interrupted; continue with --resume"
}

/// Trains a ``TrainableShowerModel`` with the policies of its parts (optimizer, learning-rate
/// schedule, gradient clipping, EMA; ``TrainingPolicies``), the run's ``StoppingRule`` and per-step
/// ``TrainingHook``s, writing into a run folder:
/// - `last.safetensors` — the model's weights (every network, trained or frozen), each part's optimizer
///   state, hook tensors (EMA shadows), generator states and the trainer state (layout in
///   ``TrainedPart``), written atomically every
///   ``TrainingConfig/checkpointEverySteps`` steps, at every epoch end and when the run stops;
///   ``resume()`` continues from it exactly (same losses, same weights);
/// - `best.safetensors` — the weights (EMA weights when enabled) of the best validation loss, for sampling;
/// - `metrics.jsonl` — one ``EpochRecord`` per epoch.
///
/// Each step: every part's step schedule sets its learning rate, the gradients are cleared, the
/// model's loss is back-propagated, each part's gradients are clipped and its optimizer steps, then
/// the hooks run. Each epoch end: plateau rules see the training or validation loss, the stopping
/// rule judges the epoch, and best.safetensors is rewritten when the validation loss improved.
public final class Trainer {
    public let model: TrainableShowerModel
    public let config: TrainingConfig
    public let runDirectory: URL
    /// The trained networks, in the model's order.
    public let parts: [TrainedPart]
    /// One optimizer per part, in the order of ``parts``.
    public let optimizers: [Optimizer]
    /// The EMA hooks of the parts that ask for one, then the hooks passed to ``init(model:loader:config:runDirectory:hooks:logger:)``.
    public let hooks: [any TrainingHook]
    let loader: ShowerLoader
    let stepSchedules: [(any LearningRateSchedule)?]
    let checkpoint: RunCheckpoint
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
    /// The first part's current learning rate (the one progress reports and metrics.jsonl show).
    public var learningRate: Double { optimizers[0].learningRate }

    /// Prepares a run over `model.trainedParts(config)`; `hooks` run after every step, after the parts' EMA hooks.
    /// Throws ``ModelError/invalidConfig(_:)`` for an invalid configuration, no parts, part names that
    /// are empty, repeated or not made of lowercase letters, digits and `_`, or a part that is neither
    /// the model's module nor one of its children.
    public init(model: TrainableShowerModel, loader: ShowerLoader, config: TrainingConfig, runDirectory: URL,
                hooks: [any TrainingHook] = [], logger: Logger = Logger(label: "caloforge.train")) throws {
        try config.validate()
        let parts = model.trainedParts(config)
        let paths = try Self.validate(parts, in: model.module)
        self.model = model
        self.loader = loader
        self.config = config
        self.runDirectory = runDirectory
        self.logger = logger
        self.parts = parts
        optimizers = parts.map { $0.policies.optimizer.makeOptimizer(parameters: $0.module.parameters(), learningRate: $0.policies.learningRate) }
        let stepBudget = config.maxSteps ?? config.maxEpochs * loader.batchesPerEpoch
        stepSchedules = parts.map { $0.policies.schedule.stepSchedule(peak: $0.policies.learningRate, stepBudget: stepBudget) }
        let single = parts.count == 1
        let emaHooks: [any TrainingHook] = try zip(parts, paths).compactMap { part, path in
            try part.policies.emaDecay.map {
                try EMAHook(module: part.module, decay: $0, checkpointPrefix: single ? "ema." : "ema.\(part.name).",
                            weightsPrefix: path.isEmpty ? "" : path + ".")
            }
        }
        self.hooks = emaHooks + hooks
        noise = try Generator(seed: config.seed &+ 2, device: loader.device)
        checkpoint = RunCheckpoint(
            module: model.module, parts: zip(parts, optimizers).map { RunCheckpoint.Part(name: $0.name, optimizer: $1) },
            hooks: self.hooks, generators: ["noise": noise])
        let plateaus = parts.compactMap { part in part.policies.schedule.makePlateau().map { (part.name, $0) } }
        state = TrainerState(plateaus: Dictionary(uniqueKeysWithValues: plateaus), loader: loader.state())
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
    }

    /// Checks the parts and returns each one's key path in `module` ("" for `module` itself).
    static func validate(_ parts: [TrainedPart], in module: Module) throws -> [String] {
        guard !parts.isEmpty else { throw ModelError.invalidConfig("the model has no trained parts; trainedParts(_:) must list at least one") }
        var paths: [ObjectIdentifier: String] = [:]
        for (key, child) in module.namedModules() where paths[ObjectIdentifier(child)] == nil { paths[ObjectIdentifier(child)] = key }
        var seen = Set<String>()
        return try parts.map { part in
            let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
            guard !part.name.isEmpty, part.name.allSatisfy(allowed.contains) else {
                throw ModelError.invalidConfig("trained part name '\(part.name)' must be lowercase letters, digits and _ (it prefixes checkpoint keys)")
            }
            guard seen.insert(part.name).inserted else { throw ModelError.invalidConfig("two trained parts are named '\(part.name)'; names must be unique") }
            try part.policies.validate(field: "parts.\(part.name)")
            guard let path = paths[ObjectIdentifier(part.module)] else {
                throw ModelError.invalidConfig(
                    "trained part '\(part.name)' is neither the model's module nor one of its children, so its weights would not be saved")
            }
            return path
        }
    }

    /// Restores the run from `last.safetensors`. Throws ``ModelError/invalidRun(_:)`` when there is none.
    public func resume() throws {
        guard FileManager.default.fileExists(atPath: lastCheckpoint.path) else {
            throw ModelError.invalidRun("--resume: \(lastCheckpoint.path) does not exist; start the run without --resume")
        }
        let restored = try restoreCheckpoint(lastCheckpoint)
        try loader.restore(restored.loader)
        state = restored
        state.finished = nil
        try trimMetrics(toStep: state.step)
        logger.info("resumed", metadata: ["step": "\(state.step)", "epoch": "\(loader.epoch)"])
    }

    /// Restores parts, optimizers, hooks and generators from `url` and returns its trainer state,
    /// checking that every plateau rule finds its tracker.
    func restoreCheckpoint(_ url: URL) throws -> TrainerState {
        guard let json = try checkpoint.load(from: url).state else {
            throw ModelError.invalidCheckpoint(path: url.path, reason: "has no trainer state; it was not written by caloforge train")
        }
        let restored: TrainerState
        do {
            restored = try JSONDecoder().decode(TrainerState.self, from: Data(json.utf8))
        } catch {
            throw ModelError.invalidCheckpoint(path: url.path, reason: "its trainer state cannot be read (\(error))")
        }
        for part in parts where part.policies.schedule.monitor != nil && restored.plateaus[part.name] == nil {
            throw ModelError.invalidCheckpoint(
                path: url.path, reason: "has no plateau state for part '\(part.name)'; it was trained with another learning-rate schedule")
        }
        return restored
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
        for part in parts { part.module.train() }
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
            let loss = try trainStep(batch)
            let value = try loss.item()
            guard value.isFinite else {
                throw ModelError.invalidRun("training loss became \(value) at step \(state.step + 1); lower the learning rate or check the data")
            }
            state.step += 1
            state.epochLossSum += value
            state.epochBatches += 1
            onProgress(TrainingProgress(phase: .training, step: state.step, epoch: loader.epoch, batchInEpoch: batchInEpoch + 1,
                                        batchesPerEpoch: loader.batchesPerEpoch, loss: value, learningRate: learningRate))
            if state.step % config.checkpointEverySteps == 0 {
                try saveLast()
                onProgress(TrainingProgress(phase: .checkpoint, step: state.step, epoch: loader.epoch, batchInEpoch: batchInEpoch + 1,
                                            batchesPerEpoch: loader.batchesPerEpoch, loss: value, learningRate: learningRate))
            }
        }
    }

    /// One optimizer step of every part on `batch`, then the hooks; returns the loss before the step.
    private func trainStep(_ batch: ShowerBatch) throws -> Tensor {
        for (optimizer, schedule) in zip(optimizers, stepSchedules) {
            if let schedule { optimizer.learningRate = schedule.learningRate(at: state.step) }
            try optimizer.zeroGrad()
        }
        let loss = try model.loss(batch, generator: noise)
        try loss.backward()
        for (part, optimizer) in zip(parts, optimizers) {
            try part.policies.clipping?.apply(to: optimizer.parameters)
            try optimizer.step()
        }
        for hook in hooks { try hook.afterStep(state.step + 1) }
        return loss
    }

    /// Mean loss over the validation split, with noise from a fixed seed so that it is comparable
    /// between epochs and identical after a resume.
    public func validationLoss() throws -> Double {
        for part in parts { part.module.eval() }
        defer { for part in parts { part.module.train() } }
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
                                    batchesPerEpoch: loader.batchesPerEpoch, loss: validation, learningRate: learningRate))
        try appendMetrics(EpochRecord(epoch: finishedEpoch, step: state.step, trainLoss: trainLoss, validationLoss: validation,
                                      learningRate: learningRate, seconds: seconds))
        logger.info("epoch", metadata: ["epoch": "\(finishedEpoch)", "step": "\(state.step)", "loss": "\(trainLoss)", "validation": "\(validation)"])
        for (part, optimizer) in zip(parts, optimizers) {
            guard let monitor = part.policies.schedule.monitor, var plateau = state.plateaus[part.name] else { continue }
            optimizer.learningRate = plateau.observe(monitor == .trainingLoss ? trainLoss : validation, learningRate: optimizer.learningRate)
            state.plateaus[part.name] = plateau
        }
        state.earlyStopCount = config.stopping.badEpochs(
            after: state.earlyStopCount, trainingLoss: trainLoss, validationLoss: validation, bestValidationLoss: state.bestValidationLoss)
        state.epochLossSum = 0
        state.epochBatches = 0
        if state.bestValidationLoss.map({ validation < $0 }) ?? true {
            state.bestValidationLoss = validation
            try saveBest(validationLoss: validation)
        }
        try saveLast()
        return config.stopping.shouldStop(badEpochs: state.earlyStopCount)
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
        try checkpoint.save(to: lastCheckpoint, step: state.step, state: state, metadata: metadata)
    }

    /// Writes the sampling checkpoint: the model's state dict with the hooks' sampling weights (EMA) in
    /// place of the trained ones, plus the model metadata.
    private func saveBest(validationLoss: Double) throws {
        var tensors = model.module.stateDict()
        let replaced = hooks.flatMap(\.samplingWeights)
        for (key, t) in replaced { tensors[key] = t }
        var metadata = model.checkpointMetadata
        metadata["step"] = String(state.step)
        metadata["validationLoss"] = String(validationLoss)
        metadata["weights"] = replaced.isEmpty ? "raw" : "ema"
        metadata[ModelCheckpoint.provenanceKey] = try CheckpointProvenance(
            producer: "train", source: runDirectory.standardizedFileURL.path, step: state.step, validationLoss: validationLoss,
            weights: metadata["weights"]
        ).json()
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
