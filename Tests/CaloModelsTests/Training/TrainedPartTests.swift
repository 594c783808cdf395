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

    /// Each part is found at its key path inside the model's module.
    @Test func partsAreFoundInsideTheModelsModule() throws {
        let model = try TwoPartModel(energy: TrainingPolicies(learningRate: 1), shape: TrainingPolicies(learningRate: 1))
        #expect(try Trainer.validate(model.trainedParts(TrainingConfig()), in: model.module) == ["energy", "shape"])
        let single = try OnePartModel()
        #expect(try Trainer.validate(single.trainedParts(TrainingConfig()), in: single.module) == [""])
    }

    @Test func partNamesMustSuitCheckpointKeys() throws {
        let network = try Linear(1, 1, generator: try Generator(seed: 1))
        let policies = TrainingPolicies(learningRate: 1)
        #expect(throws: ModelError.invalidConfig("trained part name 'Energy.net' must be lowercase letters, digits and _ (it prefixes checkpoint keys)")) {
            _ = try Trainer.validate([TrainedPart(name: "Energy.net", module: network, policies: policies)], in: network)
        }
        #expect(throws: ModelError.invalidConfig("two trained parts are named 'a'; names must be unique")) {
            _ = try Trainer.validate([TrainedPart(name: "a", module: network, policies: policies), TrainedPart(name: "a", module: network, policies: policies)], in: network)
        }
        #expect(throws: ModelError.self) { _ = try Trainer.validate([], in: network) }
        let stranger = try Linear(1, 1, generator: try Generator(seed: 2))
        #expect(throws: ModelError.invalidConfig(
            "trained part 'x' is neither the model's module nor one of its children, so its weights would not be saved")) {
            _ = try Trainer.validate([TrainedPart(name: "x", module: stranger, policies: policies)], in: network)
        }
    }
}
