import CaloData
@testable import CaloModels
import Diffusion
import Foundation
import Testing
import Torch
import TorchNN

@Suite struct TrainerTests {
    /// Regressing the network onto fixed noise at fixed time steps is a pure fitting problem: the
    /// whole U-Net must be able to drive the loss down by an order of magnitude.
    @Test func tinyModelOverfitsAFixedBatch() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = tinyModelConfig()
        let model = try CaloDiffusionModel(config: config, generator: try Generator(seed: 1))
        let reader = try CaloChallengeReader(path: try syntheticTrainingFile(in: folder, count: 2))
        let showers = try Tensor(try reader.showers(0..<2), shape: [2, 6480])
        let energies = try Tensor(try reader.incidentEnergies(0..<2).map(Float.init), shape: [2, 1])
        let (clean, condition) = try model.diffusionSpace(showers: showers, incidentEnergies: energies)
        let generator = try Generator(seed: 5)
        let noise = try Tensor.randn(clean.shape, generator: generator)
        let timesteps = try Tensor([Int64(10), Int64(30)])
        let objective = EpsilonLoss(schedule: model.schedule)
        let optimizer = Adam(parameters: model.module.parameters(), learningRate: 1e-2)
        func loss() throws -> Tensor {
            try objective.loss(model.diffusionNetwork, clean: clean, condition: condition, timesteps: timesteps, noise: noise)
        }
        let first = try loss().item()
        for _ in 0..<150 {
            try optimizer.zeroGrad()
            try loss().backward()
            try optimizer.step()
        }
        let last = try loss().item()
        #expect(last < first / 10, "loss went from \(first) to \(last)")
    }

    /// Five steps, an interruption, a fresh process state, three more steps must equal eight steps in one go.
    @Test func resumeReproducesAnUninterruptedRun() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try syntheticTrainingFile(in: folder)

        func trainer(_ run: String, steps: Int) throws -> (Trainer, CaloDiffusionModel, [Double]) {
            var config = tinyModelConfig(steps: steps, emaDecay: 0.9)
            config.training.maxSteps = steps
            let model = try CaloDiffusionModel(config: config, generator: try Generator(seed: 1))
            let trainer = try Trainer(model: model, loader: try makeLoader(data, config: config), config: config.training,
                                      runDirectory: folder.appendingPathComponent(run))
            return (trainer, model, [])
        }
        var straightLosses: [Double] = []
        let (straight, straightModel, _) = try trainer("straight", steps: 8)
        try straight.run { if $0.phase == .training { straightLosses.append($0.loss) } }

        var resumedLosses: [Double] = []
        // The first part ends the way Ctrl-C ends `caloforge train`: shouldStop() turns true mid-epoch.
        let (first, _, _) = try trainer("resumed", steps: 8)
        first.shouldStop = { first.step >= 5 }
        let outcome = try first.run { if $0.phase == .training { resumedLosses.append($0.loss) } }
        #expect(outcome == .interrupted)
        let (second, resumedModel, _) = try trainer("resumed", steps: 8)
        try second.resume()
        #expect(second.step == 5)
        try second.run { if $0.phase == .training { resumedLosses.append($0.loss) } }

        #expect(resumedLosses == straightLosses)
        let a = straightModel.module.stateDict()
        let b = resumedModel.module.stateDict()
        for (key, tensor) in a {
            #expect(try (tensor .== b[key]!).all().item() == 1, "parameter \(key) differs after resume")
        }
        // The epoch records of the two runs agree too (metrics.jsonl is trimmed on resume).
        let straightMetrics = try String(contentsOf: straight.metricsFile, encoding: .utf8)
        let resumedMetrics = try String(contentsOf: second.metricsFile, encoding: .utf8)
        func withoutTimes(_ text: String) -> [String] {
            text.split(separator: "\n").map { $0.replacingOccurrences(of: #""seconds":[0-9.e-]+"#, with: "", options: .regularExpression) }
        }
        #expect(withoutTimes(straightMetrics) == withoutTimes(resumedMetrics))
    }

    /// Two networks with different optimizers, schedules, clipping and EMA: five steps, an interruption,
    /// three more must equal eight steps in one go, and each part keeps its keys under its name.
    @Test func twoPartResumeReproducesAnUninterruptedRun() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try syntheticTrainingFile(in: folder)
        let config = TrainingConfig(learningRate: 1e-2, batchSize: 4, maxSteps: 8, validationFraction: 0.25,
                                    earlyStopPatience: nil, checkpointEverySteps: 2, seed: 7)
        let energy = TrainingPolicies(optimizer: .adam(), learningRate: 5e-2,
                                      schedule: .plateau(monitor: .validationLoss, factor: 0.5, patience: 0), clipping: .globalNorm(maxNorm: 0.5))
        let shape = TrainingPolicies(optimizer: .adamW(weightDecay: 0.1), learningRate: 2e-2,
                                     schedule: .cosine(warmupSteps: 2, totalSteps: nil, minimum: 1e-3), emaDecay: 0.8)
        func trainer(_ run: String) throws -> (Trainer, TwoPartModel) {
            let model = try TwoPartModel(energy: energy, shape: shape)
            return (try Trainer(model: model, loader: try makeLoader(data, training: config), config: config,
                                runDirectory: folder.appendingPathComponent(run)), model)
        }
        var straightProgress: [TrainingProgress] = []
        let (straight, straightModel) = try trainer("straight")
        try straight.run { if $0.phase == .training { straightProgress.append($0) } }

        var resumedProgress: [TrainingProgress] = []
        let (first, _) = try trainer("resumed")
        first.shouldStop = { first.step >= 5 }
        let outcome = try first.run { if $0.phase == .training { resumedProgress.append($0) } }
        #expect(outcome == .interrupted)
        let (second, resumedModel) = try trainer("resumed")
        try second.resume()
        try second.run { if $0.phase == .training { resumedProgress.append($0) } }

        #expect(resumedProgress.map(\.loss) == straightProgress.map(\.loss))
        #expect(resumedProgress.map(\.learningRate) == straightProgress.map(\.learningRate))
        for (key, tensor) in straightModel.module.stateDict() {
            #expect(try (tensor .== resumedModel.module.stateDict()[key]!).all().item() == 1, "parameter \(key) differs after resume")
        }
        #expect(zip(straight.optimizers, second.optimizers).allSatisfy { $0.learningRate == $1.learningRate })
        #expect(straight.state.plateaus == second.state.plateaus)
        let straightEMA = try #require(straight.hooks.first as? EMAHook)
        let resumedEMA = try #require(second.hooks.first as? EMAHook)
        for (key, shadow) in straightEMA.ema.shadow {
            #expect(try (shadow .== resumedEMA.ema.shadow[key]!).all().item() == 1, "EMA \(key) differs after resume")
        }
        // The energy part's plateau (patience 0 on the validation loss) and the shape part's cosine both moved.
        #expect(straight.optimizers[1].learningRate != 2e-2)
        let (last, lastMetadata) = try Safetensors.load(second.lastCheckpoint)
        #expect(Set(last.keys.filter { $0.hasPrefix("model.") }) == ["model.energy.weight", "model.energy.bias", "model.shape.weight", "model.shape.bias"])
        #expect(Set(last.keys.filter { $0.hasPrefix("ema.") }) == ["ema.shape.weight", "ema.shape.bias"])
        #expect(lastMetadata["optimizer.energy.kind"] == "Adam" && lastMetadata["optimizer.shape.kind"] == "AdamW")
        let best = try Safetensors.load(second.bestCheckpoint)
        #expect(Set(best.tensors.keys) == ["energy.weight", "energy.bias", "shape.weight", "shape.bias"])
        #expect(best.metadata["weights"] == "ema")
    }

    /// A cosine schedule sets every step's learning rate from the step count alone.
    @Test func cosineScheduleSetsEachStepsRate() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = TrainingConfig(learningRate: 1e-2, batchSize: 4, maxSteps: 6, validationFraction: 0.25, optimizer: .adamax(),
                                    schedule: .cosine(), stopping: .never, seed: 7)
        let trainer = try Trainer(model: try OnePartModel(), loader: try makeLoader(try syntheticTrainingFile(in: folder), training: config),
                                  config: config, runDirectory: folder.appendingPathComponent("run"))
        var rates: [Double] = []
        try trainer.run { if $0.phase == .training { rates.append($0.learningRate) } }
        let expected = (0..<6).map { 1e-2 * (1 + cos(Double.pi * Double($0) / 6)) / 2 }
        #expect(rates.count == 6)
        #expect(zip(rates, expected).allSatisfy { abs($0 - $1) < 1e-15 }, "\(rates)")
        #expect(trainer.optimizers[0].kind == "Adamax")
    }

    /// The stopping rule ends the run at the first epoch end where it triggers.
    @Test func stoppingRuleEndsTheRun() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // validationPatience(1) stops at the first epoch end whose validation loss is not below the best
        // so far: the second, since a learning rate of 1e-12 cannot move float32 weights.
        let config = TrainingConfig(learningRate: 1e-12, batchSize: 4, maxEpochs: 50, validationFraction: 0.25, optimizer: .sgd(),
                                    schedule: .constant, stopping: .validationPatience(patience: 1), seed: 7)
        let trainer = try Trainer(model: try OnePartModel(), loader: try makeLoader(try syntheticTrainingFile(in: folder), training: config),
                                  config: config, runDirectory: folder.appendingPathComponent("run"))
        var epochs = 0
        let outcome = try trainer.run { if $0.phase == .validation { epochs += 1 } }
        #expect(outcome == .earlyStopped)
        #expect(epochs == 2)
    }

    @Test func resumeWithoutCheckpointIsAClearError() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = tinyModelConfig()
        let model = try CaloDiffusionModel(config: config, generator: try Generator(seed: 1))
        let trainer = try Trainer(model: model, loader: try makeLoader(try syntheticTrainingFile(in: folder), config: config),
                                  config: config.training, runDirectory: folder.appendingPathComponent("empty"))
        #expect(throws: ModelError.self) { try trainer.resume() }
        do { try trainer.resume() } catch { #expect("\(error)".contains("does not exist")) }
    }

    @Test func invalidTrainingConfigsAreRejected() {
        var config = TrainingConfig()
        config.validationFraction = 1.5
        #expect(throws: ModelError.self) { try config.validate() }
        config = TrainingConfig(learningRate: -1)
        do { try config.validate() } catch { #expect("\(error)".contains("learningRate")) }
    }
}
