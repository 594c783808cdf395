import CaloData
import CaloModels
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
