@testable import CaloModels
import Foundation
import Testing
import Torch
import TorchNN

@Suite struct TrainedPartTests {
    /// A model that lists no parts trains its ``TrainableShowerModel/module`` as the one part "model".
    @Test func aSingleNetworkModelIsOnePartNamedModel() throws {
        let model = try OnePartModel()
        let config = TrainingConfig(learningRate: 3e-3, emaDecay: 0.9)
        let parts = model.trainedParts(config)
        #expect(parts.count == 1)
        #expect(parts.first?.name == "model")
        #expect(parts.first?.module === model.module)
        #expect(parts.first?.policies == config.policies)
    }

    @Test func partNamesMustSuitCheckpointKeys() throws {
        let network = try Linear(1, 1, generator: try Generator(seed: 1))
        let policies = TrainingPolicies(learningRate: 1)
        #expect(throws: ModelError.invalidConfig("trained part name 'Energy.net' must be lowercase letters, digits and _ (it prefixes checkpoint keys)")) {
            try Trainer.validate([TrainedPart(name: "Energy.net", module: network, policies: policies)])
        }
        #expect(throws: ModelError.invalidConfig("two trained parts are named 'a'; names must be unique")) {
            try Trainer.validate([TrainedPart(name: "a", module: network, policies: policies), TrainedPart(name: "a", module: network, policies: policies)])
        }
        #expect(throws: ModelError.self) { try Trainer.validate([]) }
    }
}
