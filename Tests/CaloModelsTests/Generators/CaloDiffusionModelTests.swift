import CaloData
@testable import CaloModels
import Diffusion
import Foundation
import Testing
import Torch

@Suite struct CaloDiffusionModelTests {
    @Test func samplesAreValidShowersAndDeterministic() throws {
        let config = tinyModelConfig()
        let model = try CaloDiffusionModel(config: config, generator: try Generator(seed: 1))
        let energies = try Tensor([Float(2000), Float(50000), Float(300000)], shape: [3, 1])
        let ddpm = SamplerSettings("ddpm", steps: 6)
        let a = try model.sample(incidentEnergies: energies, sampler: ddpm, generator: try Generator(seed: 9)).showers
        let b = try model.sample(incidentEnergies: energies, sampler: ddpm, generator: try Generator(seed: 9)).showers
        let c = try model.sample(incidentEnergies: energies, sampler: ddpm, generator: try Generator(seed: 10)).showers
        #expect(a.shape == [3, 6480])
        #expect(try (a .== b).all().item() == 1)
        #expect(try (a .== c).all().item() == 0)
        let values = try a.toArray(Float.self)
        #expect(values.allSatisfy { $0.isFinite && ($0 == 0 || $0 >= Float(config.minimumEnergy)) })
        // Six steps without the configuration's two skipped levels: four sampler steps.
        for (name, evaluations) in [("ddpm", 4), ("ddim", 4), ("euler", 4), ("heun", 7), ("dpmpp-2m", 4)] {
            let s = try model.sample(incidentEnergies: energies, sampler: SamplerSettings(name, steps: 6), generator: try Generator(seed: 2))
            #expect(s.showers.shape == [3, 6480], "sampler \(name)")
            #expect(s.networkEvaluations == evaluations, "sampler \(name)")
        }
    }

    @Test func checkpointRoundTripGivesTheSameModel() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try CaloDiffusionModel(config: tinyModelConfig(), generator: try Generator(seed: 4))
        let url = folder.appendingPathComponent("model.safetensors")
        try model.save(to: url, provenance: CheckpointProvenance(producer: "train", step: 3))
        let loaded = try CaloDiffusionModel.load(from: url)
        #expect(loaded.config == model.config)
        let viaRegistry = try GeneratorRegistry.load(from: url)
        #expect(viaRegistry.modelKind == "calodiffusion")
        #expect(try ModelCheckpoint.read(url).provenance?.step == 3)
        let energies = try Tensor([Float(10000)], shape: [1, 1])
        let settings = SamplerSettings("ddpm", steps: 5)
        let a = try model.sample(incidentEnergies: energies, sampler: settings, generator: try Generator(seed: 3)).showers
        let b = try loaded.sample(incidentEnergies: energies, sampler: settings, generator: try Generator(seed: 3)).showers
        let c = try viaRegistry.sample(incidentEnergies: energies, sampler: settings, generator: try Generator(seed: 3)).showers
        #expect(try (a .== b).all().item() == 1)
        #expect(try (a .== c).all().item() == 1)
    }

    @Test func foreignCheckpointIsAClearError() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("other.safetensors")
        try Safetensors.save(["w": try Tensor([Float(1)])], metadata: ["model": "something-else"], to: url)
        #expect(throws: ModelError.self) { try CaloDiffusionModel.load(from: url) }
        do { _ = try CaloDiffusionModel.load(from: url) } catch { #expect("\(error)".contains("not a CaloDiffusion one")) }
        do { _ = try GeneratorRegistry.load(from: url) } catch { #expect("\(error)".contains("unknown model kind 'something-else'")) }
        // No model kind at all: not a CaloForge checkpoint, and the message says how to make one.
        try Safetensors.save(["w": try Tensor([Float(1)])], to: url)
        do { _ = try GeneratorRegistry.load(from: url) } catch { #expect("\(error)".contains("caloforge import")) }
    }

    @Test func builtInConfigurationsAreValid() throws {
        for config in CaloDiffusionModelConfig.builtIn { try config.validate() }
        #expect(throws: ModelError.self) { try CaloDiffusionModelConfig.load("no-such-config") }
    }
}
