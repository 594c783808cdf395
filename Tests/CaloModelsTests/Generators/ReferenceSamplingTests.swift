import CaloData
@testable import CaloModels
import Diffusion
import Foundation
import Testing
import Torch

/// CaloForge's DDPM sampling of imported reference weights against the reference's own sampler
/// (`CaloDiffu.Sample(..., sample_algo='ddpm', sample_offset=2)`, OzAmram/CaloDiffusionPaper dba6640),
/// fixture from Fixtures/make_sampling_fixture.py: cpu-demo network, 40 diffusion steps, batch 2.
@Suite struct ReferenceSamplingTests {
    @Test func ddpmSamplingEqualsTheReferenceSampler() throws {
        var config = try CaloDiffusionModelConfig.load("cpu-demo")
        config.diffusionSteps = 40
        config.samplingSteps = 40
        config.samplingOffset = 2
        let model = try CaloDiffusionModel(config: config, generator: try Generator(seed: 3))
        try model.network.load(stateDict: try Fixtures.tensors("cpu-demo.weights.safetensors"))
        let golden = try Fixtures.tensors("ddpm-sampling.safetensors")
        let energy = try #require(golden["energy"]), start = try #require(golden["x_start"])

        // The reference draws x_T and then one normal per step from torch's global CPU generator
        // seeded with 21; our Generator is the same ATen generator, so the draws coincide.
        let generator = try Generator(seed: 21)
        let noise = try Tensor.randn(start.shape, generator: generator)
        #expect(try (noise .== start).all().item() == 1, "the seeded x_T differs from torch.randn's")

        let (output, evaluations) = try model.sampleDiffusionSpace(
            noise: noise, condition: DiffusionCondition(incidentEnergy: energy), sampler: SamplerSettings("ddpm", steps: 40),
            generator: generator)
        #expect(evaluations == 38)
        // Float32 throughout, with σ-form instead of β-form arithmetic: agreement to ~1e-6 relative (measured), grown
        // over 38 steps through an untrained (random-weight) network.
        try expectClose(output, try #require(golden["output"]), rtol: 1e-4, atol: 1e-4, "ddpm sampling")
    }
}
