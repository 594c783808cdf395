import Foundation
import Testing
import Torch
import TorchNN

@testable import CaloModels

@Suite struct LayerDiffusionNetworkTests {
    /// Parameter counts of the reference `ResNet(dim_in = N + 1, num_layers = 5, cond_size = 1)` as
    /// `LayerDiffusion.init_model` builds it (computed with the reference code, Fixtures/make_layerdiffusion_fixture.py).
    @Test(arguments: [("ds2", 45, 694_958), ("ds1-photons", 5, 674_438), ("ds1-pions", 7, 675_464)])
    func parameterCountsAndKeysEqualTheReference(name: String, layers: Int, count: Int) throws {
        let network = try LayerDiffusionNetwork(config: .init(layerCount: layers), generator: Generator(seed: 1))
        #expect(network.parameterCount == count)
        let reference = try #require(try Fixtures.referenceKeys("layerdiffusion_keys.json").models[name])
        #expect(reference.parameters == count)
        // Same keys, shapes and order as the reference state dict.
        let ours = network.namedParameters().map { Fixtures.KeyEntry(key: $0.key, shape: $0.tensor.shape) }
        #expect(ours == reference.keys)
    }

    /// Output of the reference module with fixed weights (a small ResNet: hidden 32, condition 16), loaded strictly.
    @Test func outputEqualsTheReference() throws {
        let weights = try Fixtures.tensors("layerdiffusion-demo.weights.safetensors")
        let io = try Fixtures.tensors("layerdiffusion-demo.io.safetensors")
        let config = LayerDiffusionNetwork.Config(layerCount: 5, hiddenWidth: 32, conditionSize: 16)
        let network = try LayerDiffusionNetwork(config: config, generator: Generator(seed: 9))
        try network.load(stateDict: weights, strict: true)
        let out = try network(try #require(io["x"]), time: try #require(io["time"]), energy: try #require(io["energy"]))
        try expectClose(out, try #require(io["output"]), atol: 1e-5)
    }

    /// The condition is [cond_mlp(energy), time_mlp(time)]: swapping the two MLPs' weights changes the output.
    @Test func timeAndEnergyAreNotInterchangeable() throws {
        let network = try LayerDiffusionNetwork(
            config: .init(layerCount: 2, hiddenWidth: 8, conditionSize: 8, blockCount: 1), generator: Generator(seed: 4))
        let x = try Tensor([0.1, 0.2, 0.3], shape: [1, 3])
        let a = try network(x, time: try Tensor([0.5]), energy: try Tensor([-1.0], shape: [1, 1]))
        let b = try network(x, time: try Tensor([-1.0]), energy: try Tensor([0.5], shape: [1, 1]))
        #expect(try (a - b).abs().amax().item() > 1e-4)
    }

    @Test func wrongShapesAreNamed() throws {
        let network = try LayerDiffusionNetwork(
            config: .init(layerCount: 2, hiddenWidth: 8, conditionSize: 8, blockCount: 1), generator: Generator(seed: 4))
        let x = try Tensor.zeros([2, 3])
        #expect(throws: ModelError.wrongLayerEnergyShape(input: "x", expected: "[B, 3]", actual: [2, 4])) {
            _ = try network(try Tensor.zeros([2, 4]), time: try Tensor.zeros([2]), energy: try Tensor.zeros([2, 1]))
        }
        #expect(throws: ModelError.wrongLayerEnergyShape(input: "time", expected: "[2]", actual: [2, 1])) {
            _ = try network(x, time: try Tensor.zeros([2, 1]), energy: try Tensor.zeros([2, 1]))
        }
        #expect(throws: ModelError.wrongLayerEnergyShape(input: "energy", expected: "[2, 1]", actual: [2])) {
            _ = try network(x, time: try Tensor.zeros([2]), energy: try Tensor.zeros([2]))
        }
    }

    @Test func invalidWidthsAreRefused() {
        #expect(throws: ModelError.self) { _ = try LayerDiffusionNetwork(config: .init(layerCount: 0), generator: Generator(seed: 1)) }
        #expect(throws: ModelError.self) {
            _ = try LayerDiffusionNetwork(config: .init(layerCount: 3, conditionSize: 10), generator: Generator(seed: 1))
        }
    }
}
