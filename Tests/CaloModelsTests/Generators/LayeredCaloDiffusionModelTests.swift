@testable import CaloData
@testable import CaloModels
import Diffusion
import Foundation
import Testing
import Torch

/// The layered model imported from Fixtures/layered-model.safetensors (the reference LayerDiffusion state dict of
/// make_layered_fixture.py: the layered-demo U-Net and a small layer model) and sampled.
@Suite struct LayeredCaloDiffusionModelTests {
    static func imported() throws -> LayeredCaloDiffusionModel {
        let result = try GeneratorRegistry.importReference(
            GeneratorEntry.ImportRequest(url: try Fixtures.url("layered-model.safetensors"), geometry: "ds2"))
        return try #require(result.generator as? LayeredCaloDiffusionModel)
    }

    /// The reference's generation (LayerDiffusion.sample with fixed starts: DDim over 400 levels for the layer
    /// model, 10 for the U-Net, then ReverseNorm) reproduced from the same starts.
    @Test func generationEqualsTheReference() throws {
        let model = try Self.imported()
        let golden = try Fixtures.tensors("layered-sampling.safetensors")
        let generation = try model.generate(
            incidentEnergies: try #require(golden["energies_mev"]),
            layerStart: try #require(golden["layer_start"]).to(dtype: .float64),
            shapeStart: try #require(golden["shape_start"]).to(dtype: .float64),
            sampler: SamplerSettings("ddim", steps: 10), generator: try Generator(seed: 0), progress: nil)
        #expect(generation.showers.networkEvaluations == 410)
        // Float32 reference states against float64 ones here, over 400 + 10 steps of untrained networks: agreement
        // to ~2e-6 relative (measured).
        try expectClose(
            generation.layerVariables.to(dtype: .float32), try #require(golden["layer_variables"]), rtol: 2e-5, atol: 2e-5,
            "layer variables")
        let showers = generation.showers.showers
        let reference = try #require(golden["showers_mev"]).to(dtype: .float32)
        try expectClose(showers, reference, rtol: 1e-4, atol: 1e-6, "showers")
    }

    /// `sample` draws both starts from the generator and returns finite, non-negative showers whose layer sums
    /// equal the layer model's energies wherever those exceed 1e-6·MAXDEP·E_inc (and the shower's own layer does).
    @Test func sampledLayersCarryTheLayerModelsEnergies() throws {
        let model = try Self.imported()
        let energies = try Tensor([5_000.0, 400_000], shape: [2, 1])
        let generator = try Generator(seed: 4)
        let shapeStart = try Tensor.randn([2, 1, 45, 16, 9], dtype: .float64, generator: generator)
        let layerStart = try Tensor.randn([2, 46], dtype: .float64, generator: generator)
        let generation = try model.generate(
            incidentEnergies: energies, layerStart: layerStart, shapeStart: shapeStart,
            sampler: SamplerSettings("ddim", steps: 4),
            generator: try Generator(seed: 0), progress: nil)
        let showers = generation.showers.showers
        #expect(showers.shape == [2, 6480] && showers.dtype == .float32)
        #expect(try showers.isFinite().all().item() == 1)
        #expect(try showers.amin().item() >= 0)
        let sums = try model.geometry.layerEnergies(of: showers.to(dtype: .float64)).toArray(Double.self)
        let targets = try generation.layerEnergies.toArray(Double.self)
        let incident = [5_000.0, 400_000]
        var checked = 0
        for event in 0..<2 {
            let tau = 1e-6 * 2 * incident[event]
            for layer in 0..<45 where targets[event * 45 + layer] >= tau && sums[event * 45 + layer] >= tau {
                #expect(
                    abs(sums[event * 45 + layer] - targets[event * 45 + layer]) <= 1e-4 * targets[event * 45 + layer] + 1e-6,
                    "event \(event) layer \(layer)")
                checked += 1
            }
        }
        #expect(checked > 45)

        let sampled = try model.sample(
            incidentEnergies: try Tensor([5_000.0, 400_000], shape: [2]), sampler: SamplerSettings("ddim", steps: 3),
            generator: try Generator(seed: 4))
        #expect(sampled.networkEvaluations == 403)
        #expect(try sampled.showers.isFinite().all().item() == 1)
    }

    /// One checkpoint holds both networks; loading it through the registry gives the same model and `inspect`'s
    /// summary describes it.
    @Test func savesAndLoadsThroughModelCheckpoint() throws {
        let model = try Self.imported()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("layered-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("layered.safetensors")
        try model.save(to: url, provenance: CheckpointProvenance(producer: "import", source: "layered-model.safetensors"))
        let loaded = try #require(try GeneratorRegistry.load(from: url) as? LayeredCaloDiffusionModel)
        #expect(loaded.config == model.config)
        let original = model.networks.stateDict(), restored = loaded.networks.stateDict()
        #expect(Set(original.keys) == Set(restored.keys))
        for (key, tensor) in original {
            #expect(try (tensor .== #require(restored[key])).all().item() == 1, "\(key)")
        }
        let summary = try CheckpointSummary(checkpointAt: url)
        #expect(summary.modelKind == "layered-calodiffusion")
        #expect(summary.geometry == "ds2")
        #expect(summary.parameters == model.parameterCount)
        #expect(summary.defaultSampler == SamplerSettings("ddim", steps: 200))
        #expect(summary.preprocessing.contains { $0.hasPrefix("preprocessing.condition") })
    }

    /// Dataset 1 (GLaM, irregular layers, flat showers): ds1-pions-2025 with fresh weights samples finite showers
    /// whose 7 layers carry the layer model's energies where both exceed the threshold.
    @Test func datasetOnePionsSampleWithLayerRescaling() throws {
        var config = try LayeredCaloDiffusionConfig.reference(
            name: "ds1-pions-2025", network: .ds1PionsNewest,
            layerNetwork: LayerDiffusionNetwork.Config(layerCount: 7, hiddenWidth: 16, conditionSize: 8))
        config.layerSamplingSteps = 6
        let model = try LayeredCaloDiffusionModel(config: config, generator: try Generator(seed: 5))
        #expect(model.geometry.name == "ds1-pions" && model.variables.maxDeposit == 3.1)
        let energies = try Tensor([300.0, 2_000_000], shape: [2, 1])
        let generator = try Generator(seed: 6)
        let generation = try model.generate(
            incidentEnergies: energies, layerStart: try Tensor.randn([2, 8], dtype: .float64, generator: generator),
            shapeStart: try Tensor.randn([2, model.geometry.voxelCount], dtype: .float64, generator: generator),
            sampler: SamplerSettings("ddim", steps: 2), generator: generator, progress: nil)
        #expect(generation.showers.networkEvaluations == 8)
        let showers = generation.showers.showers
        #expect(showers.shape == [2, 533])
        #expect(try showers.isFinite().all().item() == 1)
        let sums = try model.geometry.layerEnergies(of: showers.to(dtype: .float64)).toArray(Double.self)
        let targets = try generation.layerEnergies.toArray(Double.self)
        var checked = 0
        for (index, target) in targets.enumerated() {
            let tau = 1e-6 * 3.1 * [300.0, 2_000_000][index / 7]
            guard target >= tau, sums[index] >= tau else { continue }
            #expect(abs(sums[index] - target) <= 1e-4 * target + 1e-6, "layer value \(index)")
            checked += 1
        }
        #expect(checked > 0)
    }

    /// Fresh weights through the registry; training is refused with the reason; too few steps are refused.
    @Test func createsButDoesNotTrain() throws {
        var config = try LayeredCaloDiffusionConfigTests.ds2()
        config.network = .cpuDemo
        config.network.energyInputs = 47
        config.layerNetwork = LayerDiffusionNetwork.Config(layerCount: 45, hiddenWidth: 8, conditionSize: 8)
        let model = try GeneratorRegistry.makeGenerator(config, generator: try Generator(seed: 2))
        #expect(model.modelKind == "layered-calodiffusion")
        let batch = ShowerBatch(
            showers: try Tensor.ones([1, 6480]), incidentEnergies: try Tensor.ones([1, 1]),
            layerEnergies: try Tensor.ones([1, 45]),
            eventIndices: [0])
        #expect(throws: ModelError.self) { _ = try model.loss(batch, generator: try Generator(seed: 0)) }
        #expect(throws: ModelError.self) { try model.checkSampling(SamplerSettings("ddim", steps: 1)) }
    }
}
