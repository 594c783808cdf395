import CaloData
@testable import CaloModels
import Diffusion
import Foundation
import Testing
import Torch
import TorchNN

/// A two-stage ds2 configuration of a few thousand parameters.
func tinyTwoStageConfig(steps: Int = 6, patch: [Int]? = [3, 16, 1]) -> TwoStageConfig {
    let policies = TrainingPolicies(
        optimizer: .adamW(weightDecay: 0), learningRate: 3e-3, schedule: .cosine(warmupSteps: 2), clipping: .globalNorm(maxNorm: 1), emaDecay: 0.9)
    return TwoStageConfig(
        name: "tiny-two-stage", geometry: "ds2", maxDeposit: 2, energyNetwork: .init(width: 16, depth: 1),
        shapeNetwork: .init(patch: patch, width: 8, depth: 1, heads: 2, mlpRatio: 2), sampler: "midpoint", samplingSteps: 2,
        training: TrainingConfig(
            learningRate: 3e-3, batchSize: 4, maxEpochs: 100, maxSteps: steps, validationFraction: 0.25, optimizer: .adamW(weightDecay: 0),
            schedule: .constant, stopping: .never, checkpointEverySteps: 2, seed: 7),
        energyTraining: policies, shapeTraining: policies)
}

@Suite struct TwoStageModelTests {
    func loader(_ path: String, _ config: TwoStageConfig) throws -> ShowerLoader {
        let seed = config.training.seed
        return try ShowerLoader(
            reader: try CaloChallengeReader(path: path), trainingFraction: 1 - config.training.validationFraction,
            splitGenerator: try Generator(seed: seed &+ 1), shuffleGenerator: try Generator(seed: seed &+ 4), batchSize: config.training.batchSize)
    }

    /// Fitted on data, trained a few steps: the showers' layer sums are exactly stage 1's layer energies
    /// wherever those reach the readout threshold (and 0 elsewhere), and no voxel is below the threshold.
    @Test func showersHoldExactlyTheGeneratedLayerEnergies() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try syntheticTrainingFile(in: folder)
        let config = tinyTwoStageConfig()
        let model = try TwoStageModel(config: config, generator: try Generator(seed: 1))
        let loader = try loader(data, config)
        try model.prepare(training: try loader.trainingSample(maxCount: 100))
        let energies = try Tensor([1000.0, 20_000, 90_000], shape: [3, 1]).to(dtype: .float32)
        let (layers, generated) = try model.generate(
            incidentEnergies: energies, sampler: model.defaultSampler, generator: try Generator(seed: 5), progress: nil)
        let threshold = try config.resolvedThreshold()
        let sums = try model.geometry.layerEnergies(of: generated.showers)
        let expected = try layers * (layers .>= threshold).to(dtype: .float32)
        #expect(try (sums - expected).abs().amax().item() <= 1e-3 * Swift.max(1, try expected.amax().item()) * 1e-3)
        let positive = try generated.showers.maskedSelect(generated.showers .> 0)
        #expect(try positive.amin().item() >= threshold * (1 - 1e-6))
        // Midpoint, 2 steps: 3 evaluations per stage; with energyStepFactor 2 the energy stage takes 4 steps (7).
        #expect(generated.networkEvaluations == 6)
        var doubled = config
        doubled.energyStepFactor = 2
        let twice = try TwoStageModel(config: doubled, generator: try Generator(seed: 1))
        try twice.prepare(training: try loader.trainingSample(maxCount: 100))
        let (_, more) = try twice.generate(
            incidentEnergies: energies, sampler: twice.defaultSampler, generator: try Generator(seed: 5), progress: nil)
        #expect(more.networkEvaluations == 7 + 3)
    }

    /// save → load gives the same networks and statistics, hence the same showers for the same seed.
    @Test func savedModelLoadsAndSamplesTheSame() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try syntheticTrainingFile(in: folder)
        let config = tinyTwoStageConfig()
        let model = try TwoStageModel(config: config, generator: try Generator(seed: 1))
        try model.prepare(training: try loader(data, config).trainingSample(maxCount: 100))
        let url = folder.appendingPathComponent("model.safetensors")
        try model.save(to: url, provenance: CheckpointProvenance(producer: "train", source: "test"))
        let loaded = try GeneratorRegistry.load(from: url)
        #expect(loaded.modelKind == "two-stage")
        #expect(loaded.configuration.describesSameModel(as: config))
        let energies = try Tensor([5000.0, 50_000], shape: [2, 1]).to(dtype: .float32)
        let a = try model.sample(incidentEnergies: energies, sampler: model.defaultSampler, generator: try Generator(seed: 3))
        let b = try loaded.sample(incidentEnergies: energies, sampler: model.defaultSampler, generator: try Generator(seed: 3))
        #expect(try (a.showers .== b.showers).all().item() == 1)
        #expect(try (model.networks.shapeScaling.mean .== (try #require(loaded as? TwoStageModel)).networks.shapeScaling.mean).all().item() == 1)
    }

    /// A run interrupted after 3 steps and resumed ends with the same weights, statistics and EMA as a run of
    /// 6 steps straight (two parts, each with its own optimizer, schedule and EMA).
    @Test func resumedTrainingIsBitForBitTheStraightRun() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try syntheticTrainingFile(in: folder)
        let config = tinyTwoStageConfig()
        func trainer(_ run: String, fresh: Bool) throws -> (Trainer, TwoStageModel) {
            let model = try TwoStageModel(config: config, generator: try Generator(seed: config.training.seed))
            let loader = try loader(data, config)
            if fresh { try model.prepare(training: try loader.trainingSample(maxCount: 100)) }
            return (try Trainer(model: model, loader: loader, config: config.training, runDirectory: folder.appendingPathComponent(run)), model)
        }
        let (straight, straightModel) = try trainer("straight", fresh: true)
        _ = try straight.run()
        let (first, _) = try trainer("resumed", fresh: true)
        first.shouldStop = { first.step >= 3 }
        #expect(try first.run() == .interrupted)
        let (second, resumedModel) = try trainer("resumed", fresh: false)
        try second.resume()
        _ = try second.run()
        let resumedState = resumedModel.module.stateDict()
        for (key, tensor) in straightModel.module.stateDict() {
            #expect(try (tensor .== resumedState[key]!).all().item() == 1, "\(key) differs after resume")
        }
        let (best, _) = try Safetensors.load(second.bestCheckpoint)
        #expect(best.keys.contains("shapeScaling.mean") && best.keys.contains("energy.output.weight"))
    }

    /// Every built-in configuration builds, and ds1 (one token per layer) and ds3 sample showers of their geometry.
    @Test(arguments: TwoStageConfig.builtIn.map(\.name)) func builtInConfigurationsBuildAndSample(name: String) throws {
        let config = try #require(TwoStageConfig.builtIn.first { $0.name == name })
        let model = try TwoStageModel(config: config, generator: try Generator(seed: 1))
        let energies = try Tensor([2000.0, 200_000], shape: [2, 1]).to(dtype: .float32)
        let generated = try model.sample(incidentEnergies: energies, sampler: SamplerSettings("euler", steps: 1), generator: try Generator(seed: 2))
        #expect(generated.showers.shape == [2, model.geometry.voxelCount])
        #expect(try generated.showers.isFinite().all().item() == 1)
    }

    @Test func invalidConfigurationsAreRefused() {
        var config = tinyTwoStageConfig()
        config.shapeNetwork.heads = 3
        #expect(throws: ModelError.self) { try config.validate() }
        config = tinyTwoStageConfig()
        config.geometry = "ds1-photons"
        #expect(throws: ModelError.self) { try config.validate() }
        config = tinyTwoStageConfig()
        config.geometry = "ds9"
        #expect(throws: ModelError.self) { try config.validate() }
        config = tinyTwoStageConfig()
        config.samplingSteps = 0
        #expect(throws: ModelError.self) { try config.validate() }
    }
}
