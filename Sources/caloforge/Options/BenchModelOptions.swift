import ArgumentParser
import CaloData
import CaloModels
import Foundation
import Torch

/// `--model` / `--config` for the bench commands that time or compare a model, and the synthetic showers they
/// train on: a checkpoint (or `builtin`), or a configuration with fresh weights (speed does not depend on them).
struct BenchModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A checkpoint to use, or 'builtin'.", valueName: "file"))
    var model: String?

    @Option(help: ArgumentHelp("A built-in configuration or JSON file with fresh weights (default: ds2 when --model is not given).", valueName: "name|file"))
    var config: String?

    func validate() throws {
        if model != nil && config != nil { throw ValidationError("Give either --model or --config, not both.") }
    }

    /// The generator, its name for reports, and whether it is fresh (its preprocessing not yet fitted).
    func load(device: Device) throws -> (generator: any ShowerGenerator, name: String, isFresh: Bool) {
        if let model {
            let path = try BuiltInModel.resolve(model)
            return (try GeneratorRegistry.load(from: URL(fileURLWithPath: path), device: device), path, false)
        }
        let configuration = try GeneratorRegistry.configuration(config ?? "ds2")
        let generator = try GeneratorRegistry.makeGenerator(configuration, device: device, generator: try Generator(seed: 0))
        return (generator, configuration.name, true)
    }

    /// A loader over `count` synthetic electron showers of `geometry` (incident energies log-uniform in
    /// 1 GeV–1 TeV, fixed seeds), 90 % for training, in batches of `batchSize`.
    static func syntheticLoader(geometry: Geometry, count: Int, batchSize: Int, device: Device) throws -> ShowerLoader {
        let simulator = try SyntheticShowerGenerator(geometry: geometry, particle: .electron)
        let energies = (0..<count).map { 1_000 * pow(1_000, (Double($0) + 0.5) / Double(count)) }
        let showers = simulator.simulate(incidentEnergies: energies, firstEvent: 0, seed: 2_024)
        return try ShowerLoader(
            showers: try Tensor(showers, shape: [count, geometry.voxelCount]),
            incidentEnergies: try Tensor(energies, shape: [count, 1]).to(dtype: .float32), geometry: geometry,
            trainingFraction: 0.9, splitGenerator: try Generator(seed: 1), shuffleGenerator: try Generator(seed: 2),
            batchSize: batchSize, device: device)
    }

    /// One batch of `batchSize` synthetic training showers for `model` (a fresh model first fits its
    /// preprocessing on the loader's training showers).
    static func trainingBatch(for model: any ShowerGenerator, isFresh: Bool, batchSize: Int, device: Device) throws -> ShowerBatch {
        let loader = try syntheticLoader(geometry: model.geometry, count: Swift.max(200, 2 * batchSize), batchSize: batchSize, device: device)
        if isFresh { try model.prepare(training: try loader.trainingSample(maxCount: 200)) }
        guard let batch = try loader.nextBatch() else { throw ValidationError("--batch-size \(batchSize) leaves no training batch.") }
        return batch
    }
}
