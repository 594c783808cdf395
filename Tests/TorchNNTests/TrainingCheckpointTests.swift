import Foundation
import Testing
import Torch
import TorchNN
import _TestSupport

/// The schedule state a run saves with its checkpoint: cosine schedule and plateau scaling.
private struct ScheduleState: Codable, Equatable {
    var cosine: CosineWarmupSchedule
    var plateau: ReduceOnPlateau
    var scale: Double
}

/// A tiny MLP trained with Adam, gradient clipping and EMA; dropout and the data order draw from
/// their own generators.
private final class TrainingRun {
    let model: Sequential
    let optimizer: Adam
    let ema: EMA
    let dropoutGenerator: Generator
    let dataGenerator: Generator
    var schedule = ScheduleState(
        cosine: CosineWarmupSchedule(peak: 0.05, warmupSteps: 3, totalSteps: 10, minimum: 0.005),
        plateau: ReduceOnPlateau(factor: 0.5, patience: 1, threshold: 0.05), scale: 1)

    init(seed: UInt64, hidden: Int = 16) throws {
        let weights = try Generator(seed: seed)
        dropoutGenerator = try Generator(seed: seed + 1)
        dataGenerator = try Generator(seed: seed + 2)
        model = try Sequential([
            Linear(4, hidden, generator: weights), SiLU(), Dropout(0.25, generator: dropoutGenerator), Linear(hidden, 1, generator: weights),
        ])
        optimizer = Adam(parameters: model.parameters(), learningRate: 0, weightDecay: 1e-4)
        ema = try EMA(model, decay: 0.9)
    }

    var generators: [String: Generator] { ["dropout": dropoutGenerator, "data": dataGenerator] }

    /// Runs the given steps and returns their losses.
    func train(_ steps: Range<Int>, on data: (x: Tensor, y: Tensor)) throws -> [Double] {
        var losses: [Double] = []
        for step in steps {
            optimizer.learningRate = schedule.cosine.learningRate(at: step) * schedule.scale
            let batch = try Tensor.randperm(data.x.dim(0), generator: dataGenerator).narrowed(dim: 0, start: 0, length: 8)
            let loss = try mseLoss(model(data.x.indexSelect(dim: 0, index: batch)), data.y.indexSelect(dim: 0, index: batch))
            try optimizer.zeroGrad()
            try loss.backward()
            try clipGradientNorm(model.parameters(), maxNorm: 1)
            try optimizer.step()
            try ema.update(from: model)
            let value = try loss.item()
            losses.append(value)
            schedule.scale = schedule.plateau.observe(value, learningRate: schedule.scale)
        }
        return losses
    }

    func save(to url: URL, step: Int) throws {
        try TrainingCheckpoint.save(
            to: url, step: step, model: model, optimizer: optimizer, ema: ema, generators: generators,
            scheduleState: schedule, metadata: ["config": #"{"hidden":16}"#, "preprocessing": "mean=0.5 std=2"])
    }

    func snapshot() throws -> [String: [Float]] {
        var result = try model.stateDict().mapValues { try $0.toArray(Float.self) }
        for (key, t) in ema.shadow { result["ema." + key] = try t.toArray(Float.self) }
        return result
    }
}

private func trainingData() throws -> (x: Tensor, y: Tensor) {
    let g = try Generator(seed: 99)
    let x = try Tensor.randn([32, 4], generator: g)
    let y = try (x.sin().sum(dims: [1], keepDim: true) + 0.1 * Tensor.randn([32, 1], generator: g))
    return (x, y)
}

@Suite struct TrainingCheckpointTests {
    @Test func resumingIsBitIdenticalToTrainingStraightThrough() throws {
        let data = try trainingData()
        let straight = try TrainingRun(seed: 1)
        let straightLosses = try straight.train(0..<10, on: data)

        let first = try TrainingRun(seed: 1)
        var losses = try first.train(0..<5, on: data)
        let url = temporaryFile("resume.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try first.save(to: url, step: 5)

        // Different seeds: every weight, generator and moment must come from the file.
        let resumed = try TrainingRun(seed: 1234)
        let checkpoint = try TrainingCheckpoint.load(
            from: url, model: resumed.model, optimizer: resumed.optimizer, ema: resumed.ema, generators: resumed.generators)
        #expect(checkpoint.step == 5)
        #expect(checkpoint.metadata == ["config": #"{"hidden":16}"#, "preprocessing": "mean=0.5 std=2"])
        resumed.schedule = try #require(try checkpoint.decodeScheduleState(ScheduleState.self))
        #expect(resumed.schedule == first.schedule)
        #expect(resumed.optimizer.stepCount == 5)
        losses += try resumed.train(checkpoint.step..<10, on: data)

        #expect(losses == straightLosses)
        #expect(try resumed.snapshot() == straight.snapshot())
        let resumedMoments = try resumed.optimizer.stateDict().tensors.mapValues { try $0.toArray(Float.self) }
        #expect(try resumedMoments == straight.optimizer.stateDict().tensors.mapValues { try $0.toArray(Float.self) })
        #expect(resumed.schedule == straight.schedule)
    }

    @Test func resumingWithoutTheGeneratorStatesDiverges() throws {
        // The control for the test above: a checkpoint that did not restore the data order would show.
        let data = try trainingData()
        let straight = try TrainingRun(seed: 1)
        let straightLosses = try straight.train(0..<10, on: data)
        let first = try TrainingRun(seed: 1)
        _ = try first.train(0..<5, on: data)
        let url = temporaryFile("diverge.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try first.save(to: url, step: 5)
        let resumed = try TrainingRun(seed: 1)
        try TrainingCheckpoint.load(from: url, model: resumed.model, optimizer: resumed.optimizer, ema: resumed.ema, generators: resumed.generators)
        try resumed.dataGenerator.reseed(3)
        let later = try resumed.train(5..<10, on: data)
        #expect(later != Array(straightLosses[5...]))
    }

    @Test func fileLayout() throws {
        let run = try TrainingRun(seed: 2)
        _ = try run.train(0..<2, on: trainingData())
        let directory = temporaryFile("layout")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        try run.save(to: url, step: 2)
        // Written atomically: nothing but the checkpoint is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["checkpoint.safetensors"])

        let file = try Safetensors.open(url)
        let names = Set(file.names)
        #expect(names.isSuperset(of: ["model.0.weight", "model.0.bias", "model.3.weight", "model.3.bias"]))
        #expect(names.isSuperset(of: ["optimizer.state.0.exp_avg", "optimizer.state.3.exp_avg_sq"]))
        #expect(names.isSuperset(of: ["ema.0.weight", "ema.3.bias", "generator.dropout", "generator.data"]))
        #expect(names.count == 4 + 8 + 4 + 2)
        #expect(file.entries["generator.data"]?.dtype == .uint8)
        #expect(file.metadata["step"] == "2")
        #expect(file.metadata["optimizer.kind"] == "Adam")
        #expect(file.metadata["config"] == #"{"hidden":16}"#)
        let schedule = try JSONDecoder().decode(ScheduleState.self, from: Data(try #require(file.metadata["schedule"]).utf8))
        #expect(schedule == run.schedule)
        // The model part loads on its own with the plain state-dict API.
        let model = try TrainingRun(seed: 3).model
        var weights: [String: Tensor] = [:]
        for name in names where name.hasPrefix("model.") { weights[String(name.dropFirst(6))] = try file.tensor(name) }
        try model.load(stateDict: weights)
        let loaded = try #require(model.layers[0] as? Linear), trained = try #require(run.model.layers[0] as? Linear)
        #expect(try values(loaded.weight) == values(trained.weight))
    }

    @Test func checkpointWithoutScheduleOrEMA() throws {
        let run = try TrainingRun(seed: 4)
        let url = temporaryFile("plain.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try TrainingCheckpoint.save(to: url, step: 0, model: run.model, optimizer: run.optimizer)
        let restored = try TrainingRun(seed: 5)
        let checkpoint = try TrainingCheckpoint.load(from: url, model: restored.model, optimizer: restored.optimizer)
        #expect(checkpoint.step == 0 && checkpoint.scheduleState == nil && checkpoint.metadata.isEmpty)
        #expect(try checkpoint.decodeScheduleState(ScheduleState.self) == nil)
        #expect(try restored.snapshot().filter { !$0.key.hasPrefix("ema.") } == run.snapshot().filter { !$0.key.hasPrefix("ema.") })
    }

    // MARK: errors

    private func savedCheckpoint() throws -> URL {
        let run = try TrainingRun(seed: 1)
        _ = try run.train(0..<2, on: trainingData())
        let url = temporaryFile("errors.safetensors")
        try run.save(to: url, step: 2)
        return url
    }

    private func incompatibleMessage(_ body: () throws -> Void) throws -> String {
        let error = try #require(throws: ModuleError.self, performing: body)
        guard case .incompatibleState(let message) = error else {
            Issue.record("expected incompatibleState, got \(error)")
            return ""
        }
        return message
    }

    @Test func optimizerOfAnotherKindIsRejected() throws {
        let url = try savedCheckpoint()
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try TrainingRun(seed: 1)
        let sgd = SGD(parameters: run.model.parameters(), learningRate: 0.1, momentum: 0.9)
        let message = try incompatibleMessage {
            try TrainingCheckpoint.load(from: url, model: run.model, optimizer: sgd, ema: run.ema, generators: run.generators)
        }
        #expect(message.contains(url.path) && message.contains("saved by Adam") && message.contains("loaded into SGD"), "\(message)")
    }

    @Test func optimizerForAnotherParameterCountIsRejected() throws {
        let url = try savedCheckpoint()
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try TrainingRun(seed: 1)
        let partial = Adam(parameters: Array(run.model.parameters().prefix(2)))
        let message = try incompatibleMessage {
            try TrainingCheckpoint.load(from: url, model: run.model, optimizer: partial, ema: run.ema, generators: run.generators)
        }
        #expect(message.contains(url.path) && message.contains("for 4 parameters") && message.contains("has 2"), "\(message)")
    }

    @Test func mismatchedModelIsRejectedWithTheFileName() throws {
        let url = try savedCheckpoint()
        defer { try? FileManager.default.removeItem(at: url) }
        let wide = try TrainingRun(seed: 1, hidden: 8)
        let message = try incompatibleMessage {
            try TrainingCheckpoint.load(from: url, model: wide.model, optimizer: wide.optimizer, ema: wide.ema, generators: wide.generators)
        }
        #expect(message.contains(url.path) && message.contains("0.weight: model [8, 4], checkpoint [16, 4]"), "\(message)")
    }

    @Test func generatorsAndEMAMustMatch() throws {
        let url = try savedCheckpoint()
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try TrainingRun(seed: 1)
        let missing = try incompatibleMessage {
            try TrainingCheckpoint.load(from: url, model: run.model, optimizer: run.optimizer, ema: run.ema,
                                        generators: ["dropout": run.dropoutGenerator])
        }
        #expect(missing.contains(url.path) && missing.contains("[data, dropout]"), "\(missing)")
        let noEMA = try incompatibleMessage {
            try TrainingCheckpoint.load(from: url, model: run.model, optimizer: run.optimizer, generators: run.generators)
        }
        #expect(noEMA.contains("EMA"), "\(noEMA)")
    }

    @Test func reservedMetadataKeysAndForeignFilesAreRejected() throws {
        let run = try TrainingRun(seed: 1)
        let url = temporaryFile("reserved.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: TorchError.self) {
            try TrainingCheckpoint.save(to: url, step: 1, model: run.model, optimizer: run.optimizer, metadata: ["optimizer.kind": "x"])
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))

        try Safetensors.save(run.model.stateDict(), to: url)
        let message = try incompatibleMessage {
            try TrainingCheckpoint.load(from: url, model: run.model, optimizer: run.optimizer)
        }
        #expect(message.contains(url.path) && message.contains("not a training checkpoint"), "\(message)")
    }
}
