import Foundation
import Testing
import Torch
import TorchNN

@testable import CaloModels

@Suite struct LayerDiffusionNetworkReferenceTests {
    /// The widths come from the tensors, the load is strict and the output equals the reference module's.
    @Test func importsTheReferenceWeights() throws {
        let weights = try Fixtures.tensors("layerdiffusion-demo.weights.safetensors")
        #expect(try LayerDiffusionNetwork.referenceConfig(of: weights)
            == .init(layerCount: 5, hiddenWidth: 32, conditionSize: 16, blockCount: 4, conditionInputs: 1))
        let network = try LayerDiffusionNetwork(referenceTensors: weights)
        let io = try Fixtures.tensors("layerdiffusion-demo.io.safetensors")
        let out = try network(try #require(io["x"]), time: try #require(io["time"]), energy: try #require(io["energy"]))
        try expectClose(out, try #require(io["output"]), atol: 1e-5)
    }

    /// A whole `LayerDiffusion` file (U-Net under `model.`, layer model under `layer_model.`) read by
    /// ``CaloDiffusionCheckpoint/importReference(from:config:geometry:)`` gives the layer network too.
    @Test func buildsTheLayerNetworkOfAnImportedFile() throws {
        var tensors = try Fixtures.tensors("cpu-demo.newest-layout.safetensors")
        let weights = try Fixtures.tensors("layerdiffusion-demo.weights.safetensors")
        for (key, tensor) in weights { tensors["layer_model." + key] = tensor }
        let url = temporaryFile("layer-diffusion.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.save(tensors, to: url)
        let imported = try CaloDiffusionCheckpoint.importReference(from: url, config: nil, geometry: nil)
        let network = try imported.layerDiffusionNetwork()
        let io = try Fixtures.tensors("layerdiffusion-demo.io.safetensors")
        let out = try network(try #require(io["x"]), time: try #require(io["time"]), energy: try #require(io["energy"]))
        try expectClose(out, try #require(io["output"]), atol: 1e-5)

        let plain = try CaloDiffusionCheckpoint.importReference(
            from: try Fixtures.url("cpu-demo.weights.safetensors"), config: nil, geometry: nil)
        #expect(throws: ModelError.layerNetworkMismatch(key: "in_lay.weight", expectedShape: nil, actualShape: nil, otherProblems: 0)) {
            _ = try plain.layerDiffusionNetwork()
        }
    }

    /// The default-width networks of ds2 and dataset 1 are recognised from their keys.
    @Test(arguments: [45, 5, 7])
    func recognisesTheReferenceWidths(layers: Int) throws {
        let source = try LayerDiffusionNetwork(config: .init(layerCount: layers), generator: Generator(seed: 2))
        let copy = try LayerDiffusionNetwork(referenceTensors: source.stateDict())
        #expect(copy.config == source.config)
    }

    @Test func missingUnexpectedAndMisshapedKeysAreNamed() throws {
        let weights = try Fixtures.tensors("layerdiffusion-demo.weights.safetensors")
        var missing = weights
        missing["hidden_layers.2.dense2.0.bias"] = nil
        #expect(throws: ModelError.layerNetworkMismatch(
            key: "hidden_layers.2.dense2.0.bias", expectedShape: [32], actualShape: nil, otherProblems: 0)) {
            _ = try LayerDiffusionNetwork(referenceTensors: missing)
        }
        var unexpected = weights
        unexpected["out_lay.scale"] = try Tensor.ones([6])
        #expect(throws: ModelError.layerNetworkMismatch(key: "out_lay.scale", expectedShape: nil, actualShape: [6], otherProblems: 0)) {
            _ = try LayerDiffusionNetwork(referenceTensors: unexpected)
        }
        var misshaped = weights
        misshaped["cond_mlp.2.bias"] = try Tensor.ones([9])
        misshaped["out_lay.bias"] = try Tensor.ones([7])
        #expect(throws: ModelError.layerNetworkMismatch(key: "cond_mlp.2.bias", expectedShape: [8], actualShape: [9], otherProblems: 1)) {
            _ = try LayerDiffusionNetwork(referenceTensors: misshaped)
        }
        #expect(throws: ModelError.layerNetworkMismatch(key: "in_lay.weight", expectedShape: nil, actualShape: nil, otherProblems: 0)) {
            _ = try LayerDiffusionNetwork(referenceTensors: [:])
        }
        let text = "\(ModelError.layerNetworkMismatch(key: "cond_mlp.2.bias", expectedShape: [8], actualShape: [9], otherProblems: 1))"
        #expect(text.contains("'cond_mlp.2.bias' has shape [9], the network expects [8] (and 1 other problem)"))
    }
}
