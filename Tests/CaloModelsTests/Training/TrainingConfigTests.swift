@testable import CaloModels
import Foundation
import Testing

/// The repository root, for the committed built-in model.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

@Suite struct TrainingConfigTests {
    /// `training` of the cpu-demo configuration as JSON was written before the policies existed.
    static let cpuDemoBeforePolicies = """
        {"batchSize":32,"checkpointEverySteps":100,"emaDecay":0.995,"learningRate":0.001,"maxEpochs":40,
         "plateauFactor":0.1,"plateauPatience":4,"seed":1234,"validationFraction":0.2}
        """
    /// `training` of ds2 as JSON before the policies existed.
    static let ds2BeforePolicies = """
        {"batchSize":128,"checkpointEverySteps":200,"earlyStopPatience":20,"learningRate":0.0004,"maxEpochs":1000,
         "plateauFactor":0.1,"plateauPatience":15,"seed":1234,"validationFraction":0.2}
        """

    func decode(_ json: String) throws -> TrainingConfig { try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8)) }

    @Test func earlierJSONDecodesToTheEarlierPolicies() throws {
        let demo = try decode(Self.cpuDemoBeforePolicies)
        #expect(demo == CaloDiffusionModelConfig.builtIn.first { $0.name == "cpu-demo" }?.training)
        #expect(demo.optimizer == .adam(beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0))
        #expect(demo.schedule == .plateau(monitor: .trainingLoss, factor: 0.1, patience: 4))
        #expect(demo.stopping == .never)
        #expect(demo.policies == TrainingPolicies(optimizer: .standard, learningRate: 1e-3, schedule: demo.schedule, emaDecay: 0.995))
        let ds2 = try decode(Self.ds2BeforePolicies)
        #expect(ds2 == CaloDiffusionModelConfig.builtIn.first { $0.name == "ds2" }?.training)
        #expect(ds2.schedule == .standard)
        #expect(ds2.stopping == .validationAboveTraining(patience: 20))
    }

    /// The committed built-in model's configuration (written before the policies) keeps its recipe.
    @Test func earlierGradientClipIsGlobalNormClipping() throws {
        let json = Self.ds2BeforePolicies.replacingOccurrences(of: #""seed":1234"#, with: #""seed":1234,"gradientClip":1.5"#)
        let config = try decode(json)
        #expect(config.clipping == .globalNorm(maxNorm: 1.5))
        #expect(config == TrainingConfig(learningRate: 4e-4, gradientClip: 1.5))
    }

    @Test func committedModelConfigurationDecodesToTheEarlierPolicies() throws {
        let url = repositoryRoot.appendingPathComponent("models/cpu-demo-ds2.config.json")
        try #require(FileManager.default.fileExists(atPath: url.path), "\(url.path) is missing")
        let config = try CaloDiffusionModelConfig.load(url.path).training
        #expect(config.optimizer == .standard)
        #expect(config.schedule == .plateau(monitor: .trainingLoss, factor: 0.1, patience: 4))
        #expect(config.stopping == .never)
        #expect(config.emaDecay == 0.995)
    }

    @Test func newJSONRoundTripsAndNamesThePolicies() throws {
        let config = TrainingConfig(
            learningRate: 2e-3, optimizer: .adamax(), schedule: .cosine(warmupSteps: 100), stopping: .validationPatience(patience: 5),
            emaDecay: 0.999, clipping: .perTensorNorm(maxNorm: 1))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(config), as: UTF8.self)
        #expect(json.contains(#""stopping":{"validationPatience":{"patience":5}}"#))
        #expect(!json.contains("plateauPatience") && !json.contains("earlyStopPatience"))
        #expect(try decode(json) == config)
        #expect(try decode(String(decoding: try encoder.encode(TrainingConfig()), as: UTF8.self)) == TrainingConfig())
    }

    @Test func invalidPoliciesAreRejected() {
        var config = TrainingConfig()
        config.schedule = .plateau(monitor: .validationLoss, factor: 2, patience: 1)
        #expect(throws: ModelError.invalidConfig("training.schedule.plateau.factor must lie in (0, 1), got 2.0")) { try config.validate() }
        config = TrainingConfig()
        config.stopping = .validationAboveTraining(patience: 0)
        #expect(throws: ModelError.self) { try config.validate() }
    }
}
