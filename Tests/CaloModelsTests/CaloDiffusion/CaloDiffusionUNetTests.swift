import Foundation
import Testing
import Torch
import TorchNN
import _TestSupport

@testable import CaloModels

@Suite struct CaloDiffusionUNetTests {
    /// The CaloChallenge review's parameter counts of the paper models (spec/models.md §A.7).
    @Test(arguments: [
        ("ds1-photons", 521_581), ("ds1-pions", 525_901), ("ds2", 517_969), ("ds3", 1_221_153), ("cpu-demo", 128_265),
    ])
    func parameterCountsEqualTheReference(preset: String, count: Int) throws {
        let model = try CaloDiffusionUNet(config: try .preset(named: preset), generator: Generator(seed: 1))
        #expect(model.parameterCount == count)
        #expect(try Fixtures.referenceKeys().models[preset]?.parameters == count)
    }

    /// Keys and shapes equal the reference `CaloDiffu.state_dict()` (so reference checkpoints load as they are).
    @Test(arguments: ["ds1-photons", "ds1-pions", "ds2", "ds3", "cpu-demo"])
    func stateDictKeysEqualTheReference(preset: String) throws {
        let reference = try #require(try Fixtures.referenceKeys().models[preset])
        let model = try CaloDiffusionUNet(config: try .preset(named: preset), generator: Generator(seed: 1))
        let ours = model.stateDict().map { Fixtures.KeyEntry(key: $0.key, shape: $0.value.shape) }.sorted { $0.key < $1.key }
        let theirs = reference.keys.sorted { $0.key < $1.key }
        let missing = Set(theirs.map(\.key)).subtracting(ours.map(\.key)).sorted()
        let unexpected = Set(ours.map(\.key)).subtracting(theirs.map(\.key)).sorted()
        #expect(missing.isEmpty, "missing: \(missing)")
        #expect(unexpected.isEmpty, "unexpected: \(unexpected)")
        #expect(ours == theirs)
        // Every entry is a trainable parameter; the location images are not saved.
        #expect(model.namedParameters().count == reference.keys.count)
    }

    /// The newest repository's networks (calodiffusion/models/models.py CondUnet as init_model builds it;
    /// Fixtures/make_reference2025_fixtures.py): parameter counts, and keys and shapes once its
    /// `cond_mlp.0/.2/.4` are renamed by ``ReferenceKeyLayout/newest``.
    @Test(arguments: [
        ("ds1-photons-2025", 4_162_029), ("ds1-pions-2025", 526_157), ("ds2-2025", 2_212_785), ("ds3-2025", 1_221_153),
    ])
    func newestNetworksEqualTheReference(preset: String, count: Int) throws {
        let reference = try #require(try Fixtures.referenceKeys("unet_keys_2025.json").models[preset])
        #expect(reference.parameters == count)
        let model = try CaloDiffusionUNet(config: try .preset(named: preset), generator: Generator(seed: 1))
        #expect(model.parameterCount == count)
        let ours = model.stateDict().map { Fixtures.KeyEntry(key: $0.key, shape: $0.value.shape) }.sorted { $0.key < $1.key }
        let theirs = reference.keys.map { Fixtures.KeyEntry(key: ReferenceKeyLayout.newest.renamed($0.key), shape: $0.shape) }
            .sorted { $0.key < $1.key }
        #expect(ours == theirs)
        #expect(reference.keys.contains { $0.key.hasPrefix("model.cond_mlp.0.") })
    }

    /// A layer-conditioned network takes `[B, N + 2]` energies and says so when given `[B]`.
    @Test func layerConditionedNetworkTakesOneEnergyVectorPerShower() throws {
        var config = CaloDiffusionConfig.cpuDemo
        config.energyInputs = 47
        let model = try CaloDiffusionUNet(config: config, generator: Generator(seed: 3))
        let generator = try Generator(seed: 4)
        let x = try Tensor.randn([2, 1, 45, 16, 9], generator: generator)
        let noise = try Tensor.rand([2], generator: generator)
        let energies = try Tensor.rand([2, 47], generator: generator)
        let output = try model(x: x, noiseLevel: noise, energy: energies)
        #expect(output.shape == [2, 1, 45, 16, 9])
        // Each shower's output depends on its own energy vector.
        let changed = try Tensor.cat([energies.narrowed(dim: 0, start: 0, length: 1), try Tensor.zeros([1, 47])], dim: 0)
        let other = try model(x: x, noiseLevel: noise, energy: changed)
        let difference = try (other - output).abs().amax()
        #expect(try difference.item() > 0)
        #expect(throws: ModelError.wrongInputShape(input: "energy", expected: "[2, 47] (c_E, totalE', 45 layer values per shower)", actual: [2])) {
            try model(x: x, noiseLevel: noise, energy: try Tensor.rand([2], generator: generator))
        }
    }

    /// The U-Net's output equals the newest repository's CondUnet with the same seeded weights, read in the
    /// newest key layout, for a layer-conditioned energy input (`[B, 47]`, as ds2-2025; cpu-demo widths).
    @Test func layerConditionedOutputEqualsTheNewestReference() throws {
        var config = CaloDiffusionConfig.cpuDemo
        config.energyInputs = 47
        let imported = try CaloDiffusionCheckpoint.importReference(
            from: try Fixtures.url("layered-demo.weights.safetensors"), config: config, geometry: nil)
        #expect(imported.layout == .newest)
        let io = try Fixtures.tensors("layered-demo.io.safetensors")
        let output = try withNoGrad {
            try imported.network.unet(
                try #require(io["x"]), energy: try #require(io["energy"]), noiseLevel: try #require(io["noise_level"]))
        }
        try expectClose(output, try #require(io["output"]), rtol: 1e-4, atol: 1e-5)
    }

    /// Outputs equal those of the reference model with the same (random, seeded) weights on fixed inputs.
    @Test(arguments: ["cpu-demo", "ds2", "ds1-photons"])
    func outputsEqualTheReference(preset: String) throws {
        let model = try CaloDiffusionUNet(config: try .preset(named: preset), generator: Generator(seed: 2))
        try model.load(stateDict: try Fixtures.tensors("\(preset).weights.safetensors"))
        let io = try Fixtures.tensors("\(preset).io.safetensors")
        let x = try #require(io["x"]), noiseLevel = try #require(io["noise_level"]), energy = try #require(io["energy"])
        let output = try withNoGrad { try model(x: x, noiseLevel: noiseLevel, energy: energy) }
        #expect(output.shape == x.shape)
        try expectClose(output, try #require(io["output"]), rtol: 1e-5, atol: 1e-5, preset)
    }

    @Test func forwardAndBackwardReachEveryParameter() throws {
        let model = try CaloDiffusionUNet(config: .cpuDemo, generator: Generator(seed: 3))
        let generator = try Generator(seed: 4)
        let x = try Tensor.randn([2, 1, 45, 16, 9], generator: generator)
        let noiseLevel = try Tensor.rand([2], generator: generator)
        let energy = try Tensor.rand([2], generator: generator)
        let noise = try x.randnLike(generator: generator)
        let loss = try mseLoss(try model(x: x, noiseLevel: noiseLevel, energy: energy), noise)
        try loss.backward()
        for (key, parameter) in model.namedParameters() {
            let grad = try parameter.grad
            #expect(grad != nil, "\(key) has no gradient")
            if let grad { #expect(try grad.isFinite().all().item() == 1, "\(key) has a non-finite gradient") }
        }
    }

    @Test func wrongInputShapesAreNamed() throws {
        let model = try CaloDiffusionUNet(config: .cpuDemo, generator: Generator(seed: 5))
        let x = try Tensor.zeros([2, 1, 45, 16, 9])
        #expect(throws: ModelError.wrongInputShape(input: "x", expected: "[B, 1, 45, 16, 9]", actual: [2, 6480])) {
            try model(x: try Tensor.zeros([2, 6480]), noiseLevel: try Tensor.zeros([2]), energy: try Tensor.zeros([2]))
        }
        #expect(
            throws: ModelError.wrongInputShape(
                input: "noiseLevel", expected: "[2] (one value per shower)", actual: [2, 1])
        ) {
            try model(x: x, noiseLevel: try Tensor.zeros([2, 1]), energy: try Tensor.zeros([2]))
        }
        #expect(throws: ModelError.wrongInputShape(input: "energy", expected: "[2] (one value per shower)", actual: [3]))
        {
            try model(x: x, noiseLevel: try Tensor.zeros([2]), energy: try Tensor.zeros([3]))
        }
        let message = ModelError.wrongInputShape(input: "x", expected: "[B, 368]", actual: [2, 533]).description
        #expect(message == "CaloDiffusion U-Net input 'x' has shape [2, 533], expected [B, 368]")
    }

    @Test func sampleShapesFollowTheDataset() throws {
        #expect(try CaloDiffusionConfig.ds1Photons.sampleShape() == [368])
        #expect(try CaloDiffusionConfig.ds1Pions.sampleShape() == [533])
        #expect(try CaloDiffusionConfig.ds2.sampleShape() == [1, 45, 16, 9])
        #expect(try CaloDiffusionConfig.ds3.sampleShape() == [1, 45, 50, 18])
        #expect(CaloDiffusionConfig.ds1Photons.inputChannels == 4)
        #expect(CaloDiffusionConfig.ds2.inputChannels == 3)
    }
}
