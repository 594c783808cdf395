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
        let a = try model.sample(incidentEnergies: energies, steps: 6, generator: try Generator(seed: 9))
        let b = try model.sample(incidentEnergies: energies, steps: 6, generator: try Generator(seed: 9))
        let c = try model.sample(incidentEnergies: energies, steps: 6, generator: try Generator(seed: 10))
        #expect(a.shape == [3, 6480])
        #expect(try (a .== b).all().item() == 1)
        #expect(try (a .== c).all().item() == 0)
        let values = try a.toArray(Float.self)
        #expect(values.allSatisfy { $0.isFinite && ($0 == 0 || $0 >= Float(config.minimumEnergy)) })
        for kind in SamplerKind.allCases {
            let s = try model.sample(incidentEnergies: energies, sampler: kind, steps: 6, generator: try Generator(seed: 2))
            #expect(s.shape == [3, 6480], "sampler \(kind)")
        }
    }

    @Test func checkpointRoundTripGivesTheSameModel() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try CaloDiffusionModel(config: tinyModelConfig(), generator: try Generator(seed: 4))
        let url = folder.appendingPathComponent("model.safetensors")
        try model.save(to: url)
        let loaded = try CaloDiffusionModel.load(from: url)
        #expect(loaded.config == model.config)
        let energies = try Tensor([Float(10000)], shape: [1, 1])
        let a = try model.sample(incidentEnergies: energies, steps: 5, generator: try Generator(seed: 3))
        let b = try loaded.sample(incidentEnergies: energies, steps: 5, generator: try Generator(seed: 3))
        #expect(try (a .== b).all().item() == 1)
    }

    @Test func foreignCheckpointIsAClearError() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("other.safetensors")
        try Safetensors.save(["w": try Tensor([Float(1)])], metadata: ["model": "something-else"], to: url)
        #expect(throws: ModelError.self) { try CaloDiffusionModel.load(from: url) }
        do { _ = try CaloDiffusionModel.load(from: url) } catch { #expect("\(error)".contains("not a CaloDiffusion checkpoint")) }
    }

    @Test func builtInConfigurationsAreValid() throws {
        for config in CaloDiffusionModelConfig.builtIn { try config.validate() }
        #expect(throws: ModelError.self) { try CaloDiffusionModelConfig.load("no-such-config") }
    }
}
