import Foundation
import Testing
import Torch
import TorchNN

@testable import CaloModels

/// Import of reference checkpoints from either repository, as .pth or .safetensors
/// (fixtures: make_unet_fixtures.py, make_reference2025_fixtures.py).
@Suite struct CaloDiffusionCheckpointReferenceTests {
    static func expectWeightsEqualTheFixture(_ network: CaloDiffusionUNet) throws {
        let reference = try Fixtures.tensors("cpu-demo.weights.safetensors")
        let ours = network.stateDict()
        #expect(Set(ours.keys) == Set(reference.keys))
        for (key, tensor) in ours { try expectClose(tensor, try #require(reference[key]), atol: 0, key) }
    }

    /// Paper-layout safetensors: the cpu-demo preset is recognised without a configuration.
    @Test func recognisesThePaperLayoutWithoutAConfiguration() throws {
        let imported = try CaloDiffusionCheckpoint.importReference(
            from: try Fixtures.url("cpu-demo.weights.safetensors"), config: nil, geometry: nil)
        #expect(imported.config == .cpuDemo)
        #expect(imported.layout == .paper)
        #expect(imported.stateDictKey == nil)
        #expect(imported.fileFormat == "safetensors")
        #expect(imported.configurationChoice == .preset)
        try Self.expectWeightsEqualTheFixture(imported.network)
    }

    /// The newest repository's keys (`cond_mlp.0/.2/.4`) load into the same network.
    @Test func recognisesTheNewestLayout() throws {
        let imported = try CaloDiffusionCheckpoint.importReference(
            from: try Fixtures.url("cpu-demo.newest-layout.safetensors"), config: nil, geometry: nil)
        #expect(imported.layout == .newest)
        #expect(imported.config == .cpuDemo)
        try Self.expectWeightsEqualTheFixture(imported.network)
    }

    /// A .pth written by torch.save (a plain dict) is read through LibTorch.
    @Test func readsATorchSaveFile() throws {
        let imported = try CaloDiffusionCheckpoint.importReference(
            from: try Fixtures.url("cpu-demo.paper-layout.pth"), config: .cpuDemo, geometry: nil)
        #expect(imported.fileFormat == "torch.save")
        #expect(imported.configurationChoice == .given)
        try Self.expectWeightsEqualTheFixture(imported.network)
    }

    /// A .pth holding a non-tensor object is refused, naming its type and the way to save only the state dict.
    @Test func refusesANonTensorObject() throws {
        let url = try Fixtures.url("cpu-demo.non-tensor.pth")
        #expect(throws: TorchError.nonTensorObject(path: url.path, type: "collections.Counter")) {
            try CaloDiffusionCheckpoint.importReference(from: url, config: nil, geometry: nil)
        }
    }

    /// A real `torch.save` checkpoint — the reference's nested {"model_state_dict": OrderedDict, …} — imports
    /// (PickleRewrite turns its OrderedDicts into dicts before LibTorch unpickles it).
    @Test func importsAnOrderedDictCheckpoint() throws {
        let imported = try CaloDiffusionCheckpoint.importReference(
            from: try Fixtures.url("cpu-demo.ordered-dict.pth"), config: nil, geometry: nil)
        #expect(imported.stateDictKey == "model_state_dict")
        #expect(imported.fileFormat == "torch.save")
        try Self.expectWeightsEqualTheFixture(imported.network)
    }

    /// In a nested checkpoint the state dict is the entry holding the U-Net, preferring `model_state_dict`.
    @Test func selectsTheStateDictOfANestedCheckpoint() throws {
        let t = try Tensor.zeros([1])
        let nested: [String: Tensor] = [
            "model_state_dict.model.init_conv.conv.bias": t, "model_state_dict.NN_embed.encs.0.weight": t,
            "ema.model.init_conv.conv.bias": t, "optimizer_state_dict.state.0.exp_avg": t,
        ]
        let (selected, key) = CaloDiffusionCheckpoint.selectingStateDict(nested)
        #expect(key == "model_state_dict")
        #expect(Set(selected.keys) == ["model.init_conv.conv.bias", "NN_embed.encs.0.weight"])
        let wrapped = CaloDiffusionCheckpoint.selectingStateDict(["module.noise_predictor.init_conv.conv.bias": t])
        #expect(wrapped.key == "module" && Set(wrapped.tensors.keys) == ["noise_predictor.init_conv.conv.bias"])
        let bare = CaloDiffusionCheckpoint.selectingStateDict(["model.init_conv.conv.bias": t, "epoch": t])
        #expect(bare.key == nil && bare.tensors.count == 2)
    }

    /// A nested safetensors file (as a flattened torch.save checkpoint reads) imports with its entry named.
    @Test func importsANestedCheckpoint() throws {
        var nested: [String: Tensor] = [:]
        for (key, tensor) in try Fixtures.tensors("cpu-demo.newest-layout.safetensors") {
            nested["model_state_dict." + key] = tensor
        }
        nested["optimizer_state_dict.state.0.exp_avg"] = try Tensor.zeros([3])
        let url = temporaryFile("nested.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.save(nested, to: url)
        let imported = try CaloDiffusionCheckpoint.importReference(from: url, config: nil, geometry: nil)
        #expect(imported.stateDictKey == "model_state_dict")
        #expect(imported.layout == .newest)
        try Self.expectWeightsEqualTheFixture(imported.network)
    }

    /// A `LayerDiffusion` state dict: the layer-energy network is set aside, the duplicate `base_model` dropped.
    @Test func setsTheLayerModelAside() throws {
        var tensors = try Fixtures.tensors("cpu-demo.newest-layout.safetensors")
        for (key, tensor) in tensors where key.hasPrefix("model.") { tensors["base_model." + key.dropFirst(6)] = tensor }
        tensors["layer_model.in_lay.weight"] = try Tensor.zeros([256, 46])
        let url = temporaryFile("layer-diffusion.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.save(tensors, to: url)
        let imported = try CaloDiffusionCheckpoint.importReference(from: url, config: nil, geometry: nil)
        #expect(Array(imported.layerModel.keys) == ["in_lay.weight"])
        #expect(imported.layerModel["in_lay.weight"]?.shape == [256, 46])
        try Self.expectWeightsEqualTheFixture(imported.network)
        let plain = try CaloDiffusionCheckpoint.importReference(
            from: try Fixtures.url("cpu-demo.weights.safetensors"), config: nil, geometry: nil)
        #expect(plain.layerModel.isEmpty)
    }

    /// A newest-layout ds3 file fits both ds3 networks (they differ only in sampling); the newest preset wins.
    @Test func prefersThePresetsOfTheFilesRepository() throws {
        let tensors = try CaloDiffusionUNet(config: .ds3, generator: Generator(seed: 0)).stateDict()
        #expect(try CaloDiffusionCheckpoint.fittingPresets(tensors, preferring: .newest).map(\.name) == ["ds3-2025", "ds3"])
        #expect(try CaloDiffusionCheckpoint.fittingPresets(tensors, preferring: .paper).map(\.name) == ["ds3", "ds3-2025"])
    }

    /// No preset fits: the configuration is read from the shapes. With GLaM the geometry follows from the maps;
    /// on a regular grid the shapes fit ds2 and ds3 alike until a geometry is named.
    @Test func infersTheConfigurationFromTheShapes() throws {
        var glam = CaloDiffusionConfig.cpuDemo
        glam.geometry = "ds1-pions"
        glam.usesGLaM = true
        glam.usesAngularChannel = true
        glam.energyInputs = 9
        let glamURL = temporaryFile("glam.safetensors")
        defer { try? FileManager.default.removeItem(at: glamURL) }
        try Safetensors.save(try CaloDiffusionUNet(config: glam, generator: Generator(seed: 5)).stateDict(), to: glamURL)
        let imported = try CaloDiffusionCheckpoint.importReference(from: glamURL, config: nil, geometry: nil)
        #expect(imported.configurationChoice == .inferred)
        var expected = glam
        expected.name = "ds1-pions-inferred"
        #expect(imported.config == expected)

        var regular = CaloDiffusionConfig.cpuDemo
        regular.layerSizes = [8, 8, 16]
        let url = temporaryFile("regular.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.save(try CaloDiffusionUNet(config: regular, generator: Generator(seed: 6)).stateDict(), to: url)
        #expect(throws: ModelError.ambiguousReference(path: url.path, candidates: ["ds2", "ds3"])) {
            try CaloDiffusionCheckpoint.importReference(from: url, config: nil, geometry: nil)
        }
        let named = try CaloDiffusionCheckpoint.importReference(from: url, config: nil, geometry: "ds2")
        #expect(named.config.layerSizes == [8, 8, 16] && named.config.geometry == "ds2")
    }

    /// A file that fits nothing keeps the mismatch error, measured against the closest preset.
    @Test func aFileThatFitsNothingListsTheMismatches() throws {
        var tensors = try Fixtures.tensors("cpu-demo.weights.safetensors")
        tensors["model.init_conv.conv.bias"] = nil
        tensors["model.time_mlp.5.weight"] = try Tensor.zeros([3, 3])
        let url = temporaryFile("broken.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.save(tensors, to: url)
        do {
            _ = try CaloDiffusionCheckpoint.importReference(from: url, config: nil, geometry: nil)
            Issue.record("a broken checkpoint was accepted")
        } catch let ModelError.checkpointMismatch(_, preset, mismatch, matching) {
            #expect(preset == "cpu-demo")
            #expect(mismatch.contains("1 missing keys: model.init_conv.conv.bias"))
            #expect(mismatch.contains("model.time_mlp.5.weight: model [16, 16], checkpoint [3, 3]"))
            #expect(matching.isEmpty)
        }
        // With --dataset the given configuration is used as it is, and the fitting presets are named.
        do {
            _ = try CaloDiffusionCheckpoint.importReference(
                from: try Fixtures.url("cpu-demo.paper-layout.pth"), config: .ds2, geometry: nil)
            Issue.record("cpu-demo weights loaded into ds2")
        } catch let error as ModelError {
            #expect(error.description.contains("the file fits --dataset cpu-demo"))
        }
    }
}
