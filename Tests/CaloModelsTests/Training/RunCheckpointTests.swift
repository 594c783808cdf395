import CaloData
@testable import CaloModels
import Foundation
import Testing
import Torch
import TorchNN

@Suite struct RunCheckpointTests {
    /// The committed built-in training state (written before trained parts existed) restores into
    /// today's trainer, and saving it again writes exactly its keys.
    @Test func committedTrainingStateRestoresAndKeepsItsLayout() throws {
        let models = repositoryRoot.appendingPathComponent("models")
        let stateURL = models.appendingPathComponent("cpu-demo-ds2.training-state.safetensors")
        try #require(FileManager.default.fileExists(atPath: stateURL.path), "\(stateURL.path) is missing")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try CaloDiffusionModelConfig.load(models.appendingPathComponent("cpu-demo-ds2.config.json").path)
        let model = try CaloDiffusionModel(config: config, generator: try Generator(seed: 1))
        let trainer = try Trainer(model: model, loader: try makeLoader(try syntheticTrainingFile(in: folder), config: config),
                                  config: config.training, runDirectory: folder.appendingPathComponent("run"))
        let state = try trainer.restoreCheckpoint(stateURL)
        #expect(state.step == 7500)
        #expect(state.plateaus["model"]?.patience == 4)
        #expect(state.plateaus["model"]?.badObservations == 4)
        #expect(trainer.optimizers[0].stepCount == 7500)
        #expect(trainer.learningRate == 1e-4)

        let (saved, savedMetadata) = try Safetensors.load(stateURL)
        let ema = try #require(trainer.hooks.first as? EMAHook)
        for (key, shadow) in ema.ema.shadow {
            #expect(try (shadow .== #require(saved["ema.\(key)"])).all().item() == 1, "EMA \(key)")
        }
        for (key, value) in model.module.stateDict() {
            #expect(try (value .== #require(saved["model.\(key)"])).all().item() == 1, "weight \(key)")
        }
        let rewritten = folder.appendingPathComponent("rewritten.safetensors")
        try trainer.checkpoint.save(to: rewritten, step: state.step, state: state,
                                    metadata: savedMetadata.filter { !trainer.checkpoint.isReserved($0.key) })
        let (again, againMetadata) = try Safetensors.load(rewritten)
        #expect(Set(again.keys) == Set(saved.keys))
        #expect(Set(againMetadata.keys) == Set(savedMetadata.keys))
        for key in savedMetadata.keys where key.hasPrefix("optimizer.") { #expect(againMetadata[key] == savedMetadata[key], "\(key)") }
    }

    @Test func foreignTensorsAndMissingPartsAreNamed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let network = try Linear(1, 1, generator: try Generator(seed: 1))
        let single = RunCheckpoint(
            module: network, parts: [.init(name: "model", optimizer: Adam(parameters: network.parameters()))], hooks: [], generators: [:])
        let url = folder.appendingPathComponent("last.safetensors")
        try single.save(to: url, step: 3, state: ["x": 1], metadata: [:])
        // Read as a model of two parts, the optimizer state is not under the parts' names.
        let double = RunCheckpoint(
            module: network,
            parts: [.init(name: "energy", optimizer: Adam(parameters: [network.weight])), .init(name: "shape", optimizer: Adam(parameters: []))],
            hooks: [], generators: [:])
        #expect(throws: ModelError.invalidCheckpoint(path: url.path, reason: "holds no optimizer state for part 'energy'")) {
            try double.load(from: url)
        }
        let extra = folder.appendingPathComponent("extra.safetensors")
        var (tensors, metadata) = try Safetensors.load(url)
        tensors["teacher.weight"] = try Tensor.zeros([1])
        try Safetensors.save(tensors, metadata: metadata, to: extra)
        #expect(throws: ModelError.invalidCheckpoint(
            path: extra.path, reason: "holds the unexpected tensor 'teacher.weight' (another model or training setup?)")) {
            try single.load(from: extra)
        }
        metadata["step"] = nil
        try Safetensors.save(tensors, metadata: metadata, to: extra)
        #expect(throws: ModelError.self) { try single.load(from: extra) }
        #expect(throws: ModelError.invalidCheckpoint(path: url.path, reason: "metadata key 'step' is reserved (step, schedule, optimizer.…); rename it")) {
            try single.save(to: url, step: 1, state: ["x": 1], metadata: ["step": "2"])
        }
    }
}
