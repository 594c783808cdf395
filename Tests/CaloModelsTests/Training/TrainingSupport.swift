import CaloData
import CaloModels
import TorchNN
import Foundation
import Torch

/// A very small ds2 CaloDiffusion configuration for tests (a few thousand parameters).
func tinyModelConfig(steps: Int = 8, emaDecay: Double? = nil) -> CaloDiffusionModelConfig {
    CaloDiffusionModelConfig(
        name: "tiny", network: CaloDiffusionConfig(name: "tiny", geometry: "ds2", layerSizes: [4, 4, 4, 8], groupNormGroups: 2,
                                                   conditionSize: 8, usesGLaM: false, usesAngularChannel: false),
        objective: .epsilon, diffusionSteps: 50, samplingSteps: 10, samplingOffset: 2, minimumEnergy: 0.0151,
        training: TrainingConfig(learningRate: 3e-3, batchSize: 4, maxEpochs: 100, maxSteps: steps, validationFraction: 0.25,
                                 earlyStopPatience: nil, emaDecay: emaDecay, checkpointEverySteps: 3, seed: 7))
}

/// A temporary folder removed by the caller's `defer`.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-models-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A small synthetic ds2 training file.
func syntheticTrainingFile(in folder: URL, count: Int = 16, seed: UInt64 = 3) throws -> String {
    let path = folder.appendingPathComponent("train.h5").path
    let generator = try SyntheticShowerGenerator(geometry: .ds2, particle: .electron)
    try generator.write(to: path, count: count, spectrum: try IncidentSpectrum(parsing: "log-uniform:1GeV:100GeV"), seed: seed)
    return path
}

func makeLoader(_ path: String, config: CaloDiffusionModelConfig) throws -> ShowerLoader {
    let seed = config.training.seed
    return try ShowerLoader(
        reader: try CaloChallengeReader(path: path), trainingFraction: 1 - config.training.validationFraction,
        splitGenerator: try Generator(seed: seed &+ 1), shuffleGenerator: try Generator(seed: seed &+ 4),
        batchSize: config.training.batchSize)
}

/// Two tiny networks trained together, as a two-stage model trains its energy and shape networks:
/// `energy` regresses log(1 + deposited energy) on log(incident energy); `shape` does the same from a
/// noisy input, so the noise generator's state matters for an exact resume.
final class TwoPartModel: TrainableShowerModel {
    final class Networks: Module {
        let energy: Linear
        let shape: Linear
        init(generator: Generator) throws {
            energy = try Linear(1, 1, generator: generator)
            shape = try Linear(1, 3, generator: generator)
            super.init()
        }
    }

    let networks: Networks
    let energyPolicies: TrainingPolicies
    let shapePolicies: TrainingPolicies
    var module: Module { networks }
    var checkpointMetadata: [String: String] { ["model": "two-part-test"] }

    init(energy: TrainingPolicies, shape: TrainingPolicies, seed: UInt64 = 11) throws {
        networks = try Networks(generator: try Generator(seed: seed))
        energyPolicies = energy
        shapePolicies = shape
    }

    func trainedParts(_ config: TrainingConfig) -> [TrainedPart] {
        [TrainedPart(name: "energy", module: networks.energy, policies: energyPolicies),
         TrainedPart(name: "shape", module: networks.shape, policies: shapePolicies)]
    }

    func loss(_ batch: ShowerBatch, generator: Generator) throws -> Tensor {
        let x = try (batch.incidentEnergies / 1000).log()
        let target = try (batch.showers.sum(dims: [1], keepDim: true) + 1).log()
        let energyLoss = try (networks.energy(x) - target).square().mean()
        let noisy = try x + 0.1 * Tensor.randn(x.shape, generator: generator)
        let shapeLoss = try (networks.shape(noisy) - target).square().mean()
        return try energyLoss + shapeLoss
    }
}

/// One tiny network (the energy network of ``TwoPartModel`` alone), for the trainer's policies.
final class OnePartModel: TrainableShowerModel {
    let network: Linear
    var module: Module { network }
    var checkpointMetadata: [String: String] { ["model": "one-part-test"] }

    init(seed: UInt64 = 11) throws { network = try Linear(1, 1, generator: try Generator(seed: seed)) }

    func loss(_ batch: ShowerBatch, generator: Generator) throws -> Tensor {
        let x = try (batch.incidentEnergies / 1000).log()
        let target = try (batch.showers.sum(dims: [1], keepDim: true) + 1).log()
        return try (network(x) - target).square().mean()
    }
}

/// A loader over `path` with the split, batch size and seeds of `config`.
func makeLoader(_ path: String, training config: TrainingConfig) throws -> ShowerLoader {
    try ShowerLoader(
        reader: try CaloChallengeReader(path: path), trainingFraction: 1 - config.validationFraction,
        splitGenerator: try Generator(seed: config.seed &+ 1), shuffleGenerator: try Generator(seed: config.seed &+ 4),
        batchSize: config.batchSize)
}
