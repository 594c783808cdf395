import CaloData
import Foundation

/// Everything that defines a CaloDiffusion model: the network, the diffusion process, sampling
/// defaults and the training settings (spec/models.md §A). Stored as JSON in every checkpoint.
public struct CaloDiffusionModelConfig: GeneratorConfiguration, Equatable {
    /// The model kind of CaloDiffusion checkpoints.
    public static let modelKind = "calodiffusion"

    /// The training objective (spec/models.md §A.5).
    public enum Objective: String, Codable, Sendable, CaseIterable {
        /// ε-prediction with an MSE loss (ds1, ds2).
        case epsilon
        /// The EDM-style c_skip/c_out objective of ds3.
        case hybrid
    }

    public var name: String
    public var network: CaloDiffusionConfig
    public var objective: Objective
    /// Diffusion steps T of the cosine schedule used in training (400).
    public var diffusionSteps: Int
    /// Default number of sampling steps (the schedule is rebuilt for other counts, §A.4).
    public var samplingSteps: Int
    /// Leading DDPM levels skipped when sampling (2 for ds1/ds2, 0 for ds3; §A.12).
    public var samplingOffset: Int
    /// Voxels below this energy (MeV) are set to 0 after sampling (§A.13: 1e-4 MeV ds1, 0.0151 MeV ds2/ds3).
    public var minimumEnergy: Double
    public var training: TrainingConfig

    public init(name: String, network: CaloDiffusionConfig, objective: Objective, diffusionSteps: Int = 400,
                samplingSteps: Int = 400, samplingOffset: Int, minimumEnergy: Double, training: TrainingConfig) {
        self.name = name
        self.network = network
        self.objective = objective
        self.diffusionSteps = diffusionSteps
        self.samplingSteps = samplingSteps
        self.samplingOffset = samplingOffset
        self.minimumEnergy = minimumEnergy
        self.training = training
    }

    /// The reference configurations of the paper for the four datasets, and `cpu-demo`: a small ds2
    /// model that trains on this 2-core CPU in minutes (used by `make demo` and the tests).
    public static let builtIn: [CaloDiffusionModelConfig] = [
        CaloDiffusionModelConfig(
            name: "ds1-photons", network: .ds1Photons, objective: .epsilon, samplingOffset: 2, minimumEnergy: 1e-4,
            training: TrainingConfig(learningRate: 4e-4, batchSize: 128)),
        CaloDiffusionModelConfig(
            name: "ds1-pions", network: .ds1Pions, objective: .epsilon, samplingOffset: 2, minimumEnergy: 1e-4,
            training: TrainingConfig(learningRate: 4e-4, batchSize: 128)),
        CaloDiffusionModelConfig(
            name: "ds2", network: .ds2, objective: .epsilon, samplingOffset: 2, minimumEnergy: 0.0151,
            training: TrainingConfig(learningRate: 4e-4, batchSize: 128)),
        CaloDiffusionModelConfig(
            name: "ds3", network: .ds3, objective: .hybrid, samplingOffset: 0, minimumEnergy: 0.0151,
            training: TrainingConfig(learningRate: 1e-4, batchSize: 64)),
        CaloDiffusionModelConfig(
            name: "cpu-demo", network: .cpuDemo, objective: .epsilon, samplingSteps: 100, samplingOffset: 2,
            minimumEnergy: 0.0151,
            training: TrainingConfig(learningRate: 1e-3, batchSize: 32, maxEpochs: 40, plateauPatience: 4,
                                     earlyStopPatience: nil, emaDecay: 0.995, checkpointEverySteps: 100)),
    ]

    /// Names of the built-in configurations.
    public static var builtInNames: [String] { builtIn.map(\.name) }

    /// A built-in configuration by name, or one read from a JSON file.
    public static func load(_ nameOrPath: String) throws -> CaloDiffusionModelConfig {
        if let config = builtIn.first(where: { $0.name == nameOrPath }) { return config }
        guard FileManager.default.fileExists(atPath: nameOrPath) else {
            throw ModelError.invalidConfig(
                "'\(nameOrPath)' is neither a built-in configuration (\(builtInNames.joined(separator: ", "))) nor an existing JSON file")
        }
        do {
            let config = try JSONDecoder().decode(CaloDiffusionModelConfig.self, from: Data(contentsOf: URL(fileURLWithPath: nameOrPath)))
            try config.validate()
            return config
        } catch let error as ModelError {
            throw error
        } catch {
            throw ModelError.invalidConfig("\(nameOrPath) is not a valid CaloDiffusion configuration: \(error)")
        }
    }

    public func validate() throws {
        guard diffusionSteps >= 2 else { throw ModelError.invalidConfig("diffusionSteps must be at least 2, got \(diffusionSteps)") }
        guard samplingSteps >= 2 else { throw ModelError.invalidConfig("samplingSteps must be at least 2, got \(samplingSteps)") }
        guard samplingOffset >= 0, samplingOffset < samplingSteps - 1 else {
            throw ModelError.invalidConfig("samplingOffset must lie in 0..<\(samplingSteps - 1), got \(samplingOffset)")
        }
        guard minimumEnergy >= 0 else { throw ModelError.invalidConfig("minimumEnergy must not be negative, got \(minimumEnergy)") }
        try network.validate()
        try training.validate()
    }

    /// The configuration as pretty JSON.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
