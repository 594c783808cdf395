import Foundation
import Testing
import Torch

/// `caloforge import` end to end on the reference fixtures of CaloModelsTests.
@Suite struct ImportCommandTests {
    /// The reference ds2 state dict written by Tests/CaloModelsTests/Fixtures/make_unet_fixtures.py.
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CaloModelsTests/Fixtures/ds2.weights.safetensors")

    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-import-\(UUID().uuidString)-\(name)")
    }

    @Test func importsAReferenceCheckpoint() throws {
        let output = Self.temporary("ds2.safetensors")
        defer { try? FileManager.default.removeItem(at: output) }
        let (status, text) = try runCaloForge(["import", "--from", Self.reference.path, "--dataset", "ds2", "-o", output.path])
        #expect(status == 0, "\(text)")
        #expect(text.contains("imported calodiffusion ds2 (517969 parameters; configuration ds2, file safetensors, layout paper"), "\(text)")
        let (tensors, metadata) = try Safetensors.load(output)
        let (referenceTensors, _) = try Safetensors.load(Self.reference)
        #expect(Set(tensors.keys) == Set(referenceTensors.keys))
        for (key, tensor) in referenceTensors {
            let copy = try #require(tensors[key])
            #expect(copy.shape == tensor.shape)
            #expect(try copy.toArray(Float.self) == tensor.toArray(Float.self), "\(key)")
        }
        // One checkpoint format for every producer: the same metadata as a checkpoint of `caloforge train`.
        #expect(metadata["format"] == "caloforge-model")
        #expect(metadata["model"] == "calodiffusion")
        #expect(metadata["caloforge_version"] != nil)
        #expect(metadata.keys.contains { $0.hasPrefix("preprocessing") })
        let provenance = try #require(
            try JSONSerialization.jsonObject(with: Data((metadata["provenance"] ?? "").utf8)) as? [String: Any])
        #expect(provenance["producer"] as? String == "import")
        #expect(provenance["source"] as? String == Self.reference.standardizedFileURL.path)
        #expect((provenance["date"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) } != nil)
        let config = try #require(try JSONSerialization.jsonObject(with: Data((metadata["config"] ?? "").utf8)) as? [String: Any])
        #expect(config["name"] as? String == "ds2")
        let network = try #require(config["network"] as? [String: Any])
        #expect(network["layerSizes"] as? [Int] == [16, 16, 16, 32])
        let inspect = try runCaloForge(["inspect", output.path])
        #expect(inspect.status == 0, "\(inspect.output)")
        #expect(inspect.output.contains("model        calodiffusion, configuration ds2"), "\(inspect.output)")
        #expect(inspect.output.contains("provenance   import on"), "\(inspect.output)")
    }

    @Test func wrongDatasetListsTheMismatchAndTheFittingDataset() throws {
        let output = Self.temporary("x.safetensors")
        let (status, text) = try runCaloForge([
            "import", "--from", Self.reference.path, "--dataset", "ds1-photons", "-o", output.path,
        ])
        #expect(status != 0)
        #expect(text.contains("does not fit the CaloDiffusion model for ds1-photons"))
        #expect(text.contains("10 missing keys: NN_embed.decs.0.weight"))
        #expect(text.contains("model.init_conv.conv.weight: model [16, 4, 3, 3, 3], checkpoint [16, 3, 3, 3, 3]"))
        #expect(text.contains("Hint: the file fits --dataset ds2"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func everyKeyMismatchIsListedAtOnce() throws {
        var tensors = try Safetensors.load(Self.reference).tensors
        tensors["model.mid_attn.fn.norm.weight"] = nil
        tensors["model.mid_attn.fn.norm.scale"] = try Tensor.ones([32])
        tensors["model.time_mlp.1.weight"] = try Tensor.zeros([16, 1])
        let tampered = Self.temporary("tampered.safetensors")
        defer { try? FileManager.default.removeItem(at: tampered) }
        try Safetensors.save(tensors, to: tampered)
        let (status, text) = try runCaloForge([
            "import", "--from", tampered.path, "--dataset", "ds2", "-o", Self.temporary("y").path,
        ])
        #expect(status != 0)
        #expect(text.contains("1 missing keys: model.mid_attn.fn.norm.weight"))
        #expect(text.contains("1 unexpected keys: model.mid_attn.fn.norm.scale"))
        #expect(text.contains("1 shape mismatches: model.time_mlp.1.weight: model [32, 1], checkpoint [16, 1]"))
        #expect(!text.contains("Fatal error"))
    }

    @Test func missingFileAndBadArgumentsAreClearErrors() throws {
        let missing = try runCaloForge(["import", "--from", "/no/such/ds2.safetensors", "--dataset", "ds2", "-o", "/tmp/unused"])
        #expect(missing.status != 0)
        #expect(missing.output.contains("/no/such/ds2.safetensors does not exist; check the path"))

        let unknown = try runCaloForge(["import", "--from", Self.reference.path, "--dataset", "ds4", "-o", "/tmp/unused"])
        #expect(unknown.status != 0)
        #expect(unknown.output.contains("ds4"))
        #expect(unknown.output.contains("ds1-photons"))

        let notSafetensors = Self.temporary("bad.safetensors")
        defer { try? FileManager.default.removeItem(at: notSafetensors) }
        try Data("junk".utf8).write(to: notSafetensors)
        let bad = try runCaloForge(["import", "--from", notSafetensors.path, "--dataset", "ds2", "-o", "/tmp/unused"])
        #expect(bad.status != 0)
        #expect(
            bad.output.contains(
                "\(notSafetensors.path) cannot be read as a safetensors file: is 4 bytes long, too short for a header"))
    }

    @Test func helpExplainsWhatIsRead() throws {
        let (status, text) = try runCaloForge(["import", "--help"])
        #expect(status == 0)
        #expect(text.contains(".pth"))
        #expect(text.contains("ds1-photons"))
        #expect(text.contains("recognised from the tensor names and shapes"))
        let root = try runCaloForge(["--help"])
        #expect(root.output.contains("import"))
    }
}
