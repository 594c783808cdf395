import Foundation
import Testing
import Torch
import TorchNN

@testable import CaloModels

@Suite struct CaloDiffusionCheckpointTests {
    @Test func importedReferenceSavesAndLoadsBack() throws {
        let model = try CaloDiffusionCheckpoint.importReference(
            from: try Fixtures.url("cpu-demo.weights.safetensors"), config: .cpuDemo)
        let url = temporaryFile("cpu-demo.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        try CaloDiffusionCheckpoint.save(model, to: url, source: "reference.safetensors", date: date, metadata: ["extra": "1"])
        let (loaded, metadata) = try CaloDiffusionCheckpoint.load(from: url)
        #expect(loaded.config == .cpuDemo)
        #expect(metadata["format"] == CaloDiffusionCheckpoint.format)
        #expect(metadata["source"] == "reference.safetensors")
        #expect(metadata["date"] == "2023-11-14T22:13:20Z")
        #expect(metadata["extra"] == "1")
        let reference = try Fixtures.tensors("cpu-demo.weights.safetensors")
        for (key, tensor) in loaded.stateDict() {
            try expectClose(tensor, try #require(reference[key]), atol: 0, key)
        }
    }

    /// Early reference checkpoints call the U-Net `noise_predictor` (CaloDiffu.load_state_dict renames it).
    @Test func renamesNoisePredictorKeys() throws {
        let t = try Tensor.zeros([1])
        let renamed = CaloDiffusionCheckpoint.renamingReferenceKeys([
            "noise_predictor.init_conv.conv.bias": t, "NN_embed.encs.0.weight": t,
        ])
        #expect(Set(renamed.keys) == ["model.init_conv.conv.bias", "NN_embed.encs.0.weight"])
    }

    /// Every missing, unexpected and mis-shaped key is reported at once, with the presets the file fits.
    @Test func mismatchesAreListedTogether() throws {
        var tensors = try Fixtures.tensors("cpu-demo.weights.safetensors")
        tensors["model.init_conv.conv.bias"] = nil
        tensors["model.extra.weight"] = try Tensor.zeros([2])
        tensors["model.final_conv.1.conv.bias"] = try Tensor.zeros([2])
        let url = temporaryFile("tampered.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.save(tensors, to: url)
        do {
            _ = try CaloDiffusionCheckpoint.importReference(from: url, config: .cpuDemo)
            Issue.record("a tampered checkpoint was accepted")
        } catch let error as ModelError {
            let text = error.description
            #expect(text.contains("1 missing keys: model.init_conv.conv.bias"))
            #expect(text.contains("1 unexpected keys: model.extra.weight"))
            #expect(text.contains("1 shape mismatches: model.final_conv.1.conv.bias: model [1], checkpoint [2]"))
            #expect(text.contains("fits none of the built-in configurations"))
        }
        #expect(throws: ModelError.fileNotFound(path: "/no/such/file.safetensors")) {
            try CaloDiffusionCheckpoint.importReference(from: URL(fileURLWithPath: "/no/such/file.safetensors"), config: .ds2)
        }
    }

    @Test func aReferenceFileIsNotACaloForgeCheckpoint() throws {
        #expect(throws: ModelError.self) {
            try CaloDiffusionCheckpoint.load(from: try Fixtures.url("ds2.weights.safetensors"))
        }
    }
}
