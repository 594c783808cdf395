import Diffusion
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

@Suite struct LayerDiffusionSamplingTests {
    /// The reference samples the layer model with LAYER_SAMPLER 'DDim' (η = 0) on the cosine schedule rebuilt
    /// for its steps, through `CaloDiffusion.denoise` (hybrid_weight with 'log' noise: EDM preconditioning with
    /// σ_data = 1, time input ½·ln σ). Diffusion's `DDIMSampler` with an `EDMPreconditioner` reproduces its
    /// states step by step (Fixtures/make_layerdiffusion_fixture.py, 5 steps, demo weights).
    @Test func referenceLayerSamplingIsDDIMWithEDMPreconditioning() throws {
        let network = try LayerDiffusionNetwork(referenceTensors: try Fixtures.tensors("layerdiffusion-demo.weights.safetensors"))
        let golden = try Fixtures.tensors("layerdiffusion-ddim.safetensors")
        let start = try #require(golden["start"])
        let referenceStates = try #require(golden["states"])
        let referenceDenoised = try #require(golden["denoised"])
        let sigmas = try DDPMSchedule.cosine(stepCount: 5).samplingSigmas
        let denoiser = try EDMPreconditioner(sigmaData: 1, noiseInput: .halfLogSigma) { input, noiseLevel, condition in
            try network(input, time: noiseLevel, energy: condition.incidentEnergy)
        }
        // The reference's state is x/√ᾱ and starts at σ_max·n; DDIMSampler's is the VP state x = σ_max·n/√(1 + σ_max²).
        let noise = try start * (sigmas[0] / (1 + sigmas[0] * sigmas[0]).squareRoot())
        var steps: [SamplerStep] = []
        let x = try DDIMSampler(eta: 0).sample(
            denoiser, noise: noise, sigmas: sigmas, condition: DiffusionCondition(incidentEnergy: try #require(golden["energy"])),
            generator: Generator(seed: 0)
        ) { steps.append($0) }
        #expect(steps.count == 5)
        for (i, step) in steps.enumerated() {
            let state = try step.x * (1 + step.nextSigma * step.nextSigma).squareRoot()
            try expectClose(state, try referenceStates.selecting(dim: 0, index: i), rtol: 1e-5, atol: 1e-5, "state \(i)")
            try expectClose(step.denoised, try referenceDenoised.selecting(dim: 0, index: i), rtol: 1e-5, atol: 1e-5, "D \(i)")
        }
        try expectClose(x, try #require(golden["x"]), rtol: 1e-5, atol: 1e-5)
    }
}
