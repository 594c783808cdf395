@testable import CaloModels
import Diffusion
import Foundation
import Testing
import Torch

/// The one checkpoint format: what `ModelCheckpoint.read` accepts, what it gives back, and what it refuses.
@Suite struct ModelCheckpointTests {
    static func metadata(extra: [String: String] = [:]) -> [String: String] {
        ["format": ModelCheckpoint.format, "model": "calodiffusion", "config": "{}"].merging(extra) { $1 }
    }

    @Test func trainingStateGivesTheEMAWeights() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("last.safetensors")
        try Safetensors.save(
            ["model.w": try Tensor([Float(1)]), "model.b": try Tensor([Float(2)]), "ema.w": try Tensor([Float(3)]),
             "optimizer.state": try Tensor([Float(9)])],
            metadata: Self.metadata(extra: ["optimizer.kind": "adam", "step": "12"]), to: url)
        let checkpoint = try ModelCheckpoint.read(url)
        #expect(checkpoint.isTrainingState)
        #expect(Set(checkpoint.tensors.keys) == ["w", "b"])
        #expect(try checkpoint.tensors["w"]?.toArray(Float.self) == [3])
        #expect(try checkpoint.tensors["b"]?.toArray(Float.self) == [2])
        // Written before provenance metadata existed: rebuilt from the step.
        #expect(checkpoint.provenance?.producer == "train")
        #expect(checkpoint.provenance?.step == 12)
    }

    @Test func trainingStateOfSeveralPartsPointsToBest() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("last.safetensors")
        // With several parts the EMA copies are "ema.<part>.<key in the part>"; where that is no model key the
        // reader cannot place them, so it refuses and names best.safetensors.
        try Safetensors.save(
            ["model.shape.w": try Tensor([Float(1)]), "ema.energy.w": try Tensor([Float(3)])],
            metadata: Self.metadata(extra: ["optimizer.kind": "adam"]), to: url)
        do {
            _ = try ModelCheckpoint.read(url)
            Issue.record("a training state with part-prefixed EMA weights was read")
        } catch let error as ModelError {
            #expect("\(error)".contains("best.safetensors"))
        }
    }

    @Test func provenanceRoundTripsThroughTheMetadata() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        let provenance = CheckpointProvenance(
            producer: "import", source: "/data/best_val.pth", details: ["layout": "newest", "state_dict": "model_state_dict"])
        try Safetensors.save(
            ["w": try Tensor([Float(1)])], metadata: Self.metadata(extra: ["provenance": try provenance.json()]), to: url)
        let read = try #require(try ModelCheckpoint.read(url).provenance)
        #expect(read == provenance)
        #expect(read.caloforgeVersion == CaloForgeVersion.string)
    }

    @Test func refusesWhatIsNotACheckpoint() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ModelError.fileNotFound(path: folder.appendingPathComponent("none.safetensors").path)) {
            try ModelCheckpoint.read(folder.appendingPathComponent("none.safetensors"))
        }
        let junk = folder.appendingPathComponent("junk.safetensors")
        try Data("not safetensors".utf8).write(to: junk)
        #expect(throws: ModelError.self) { try ModelCheckpoint.read(junk) }
        let nan = folder.appendingPathComponent("nan.safetensors")
        try Safetensors.save(["w": try Tensor([Float.nan])], metadata: Self.metadata(), to: nan)
        #expect(throws: ModelError.nonFiniteWeights(path: nan.path, tensor: "w", count: 1)) { try ModelCheckpoint.read(nan) }
        let unreadableConfig = folder.appendingPathComponent("config.safetensors")
        try Safetensors.save(["w": try Tensor([Float(1)])], metadata: Self.metadata(), to: unreadableConfig)
        do {
            _ = try ModelCheckpoint.read(unreadableConfig).configuration(as: CaloDiffusionModelConfig.self)
            Issue.record("an empty configuration decoded")
        } catch let error as ModelError {
            #expect("\(error)".contains("calodiffusion configuration cannot be read"))
        }
    }

    @Test func registryFindsConfigurationsByNameAndFile() throws {
        #expect(try GeneratorRegistry.configuration("cpu-demo").modelKind == "calodiffusion")
        #expect(GeneratorRegistry.builtInConfigurationNames.contains("ds2"))
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("mine.json")
        var config = try #require(try GeneratorRegistry.configuration("cpu-demo") as? CaloDiffusionModelConfig)
        config.name = "mine"
        try Data(try config.prettyJSON().utf8).write(to: file)
        let read = try GeneratorRegistry.configuration(file.path)
        #expect(read.name == "mine")
        #expect(read.describesSameModel(as: try GeneratorRegistry.configuration("cpu-demo")) == false)
        config.name = "cpu-demo"
        config.training.learningRate = 0.5
        #expect(config.describesSameModel(as: try GeneratorRegistry.configuration("cpu-demo")))
        try Data("{\"what\": 1}".utf8).write(to: file)
        do {
            _ = try GeneratorRegistry.configuration(file.path)
            Issue.record("a foreign JSON file was taken for a configuration")
        } catch let error as ModelError {
            #expect("\(error)".contains("is not a valid configuration of any model"))
        }
        #expect(throws: ModelError.unknownModelKind(kind: "nope", known: ["calodiffusion", "two-stage", "layered-calodiffusion"])) {
            try GeneratorRegistry.entry(modelKind: "nope")
        }
    }
}
