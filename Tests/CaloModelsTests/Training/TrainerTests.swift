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
