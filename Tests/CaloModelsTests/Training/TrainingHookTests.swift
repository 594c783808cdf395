import CaloData
@testable import CaloModels
import Foundation
import Testing
import Torch
import TorchNN

/// Records the step numbers it sees, and keeps a counter tensor in the checkpoint.
final class RecordingHook: TrainingHook {
    var steps: [Int] = []
    let counter: Tensor

    init() throws { counter = try Tensor.zeros([1]) }

    func afterStep(_ step: Int) throws {
        steps.append(step)
        try counter.add_(1)
    }

    var checkpointTensors: [String: Tensor] { ["hook.counter": counter] }
    func restore(_ tensors: [String: Tensor]) throws { try counter.copy_(#require(tensors["hook.counter"])) }
}

@Suite struct TrainingHookTests {
    @Test func aHookRunsOncePerStepWithTheStepNumberAcrossAResume() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try syntheticTrainingFile(in: folder)
        // 12 training showers in batches of 4: 3 steps per epoch, so 7 steps cross two epoch ends.
        let config = TrainingConfig(learningRate: 1e-2, batchSize: 4, maxSteps: 7, validationFraction: 0.25,
                                    earlyStopPatience: nil, checkpointEverySteps: 100, seed: 7)
        let hook = try RecordingHook()
        let first = try Trainer(model: try OnePartModel(), loader: try makeLoader(data, training: config), config: config,
                                runDirectory: folder.appendingPathComponent("run"), hooks: [hook])
        first.shouldStop = { first.step >= 4 }
        #expect(try first.run() == .interrupted)
        #expect(hook.steps == [1, 2, 3, 4])

        let resumedHook = try RecordingHook()
        let second = try Trainer(model: try OnePartModel(), loader: try makeLoader(data, training: config), config: config,
                                 runDirectory: folder.appendingPathComponent("run"), hooks: [resumedHook])
        try second.resume()
        #expect(try resumedHook.counter.item() == 4)
        #expect(try second.run() == .maxSteps)
        #expect(resumedHook.steps == [5, 6, 7])
        #expect(try resumedHook.counter.item() == 7)
    }

    @Test func aCheckpointWithoutTheHooksTensorsIsRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try syntheticTrainingFile(in: folder)
        let config = TrainingConfig(learningRate: 1e-2, batchSize: 4, maxSteps: 2, validationFraction: 0.25, seed: 7)
        let run = folder.appendingPathComponent("run")
        try Trainer(model: try OnePartModel(), loader: try makeLoader(data, training: config), config: config, runDirectory: run).run()
        let withHook = try Trainer(model: try OnePartModel(), loader: try makeLoader(data, training: config), config: config,
                                   runDirectory: run, hooks: [try RecordingHook()])
        #expect(throws: ModelError.invalidCheckpoint(
            path: withHook.lastCheckpoint.path, reason: "lacks the hook tensors hook.counter (was it trained without this hook?)")) {
            try withHook.resume()
        }
    }
}
