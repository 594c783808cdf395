@testable import CaloModels
import Foundation
import Testing
import TorchNN

@Suite struct LearningRatePolicyTests {
    /// Plain cosine decay: lr(s) = min + (peak − min)·(1 + cos(π·s/T))/2, T the run's step budget when unset.
    @Test(arguments: [0, 1, 25, 50, 99, 100, 150])
    func cosineFollowsTheClosedForm(step: Int) throws {
        let schedule = try #require(LearningRatePolicy.cosine(minimum: 1e-5).stepSchedule(peak: 2e-3, stepBudget: 100))
        let progress = Double(min(step, 100)) / 100
        let expected = 1e-5 + (2e-3 - 1e-5) * (1 + cos(Double.pi * progress)) / 2
        #expect(abs(schedule.learningRate(at: step) - expected) < 1e-15)
    }

    @Test func cosineWithWarmupAndOwnLength() throws {
        let schedule = try #require(LearningRatePolicy.cosine(warmupSteps: 10, totalSteps: 60).stepSchedule(peak: 1, stepBudget: 5000))
        #expect(schedule.learningRate(at: 0) == 0.1)
        #expect(schedule.learningRate(at: 9) == 1)
        #expect(abs(schedule.learningRate(at: 35) - 0.5) < 1e-15)
        #expect(schedule.learningRate(at: 60) == 0)
    }

    @Test func plateauRulesActOnlyAtEpochEnds() throws {
        let policy = LearningRatePolicy.plateau(monitor: .validationLoss, factor: 0.5, patience: 3)
        #expect(policy.stepSchedule(peak: 1, stepBudget: 10) == nil)
        #expect(policy.monitor == .validationLoss)
        #expect(policy.makePlateau() == ReduceOnPlateau(factor: 0.5, patience: 3))
        #expect(LearningRatePolicy.constant.stepSchedule(peak: 1, stepBudget: 10) == nil)
        #expect(LearningRatePolicy.constant.makePlateau() == nil)
        #expect(LearningRatePolicy.standard == .plateau(monitor: .trainingLoss, factor: 0.1, patience: 15))
    }

    @Test func invalidSettingsNameTheField() {
        #expect(throws: ModelError.invalidConfig("training.schedule.cosine.totalSteps (10) must exceed warmupSteps (10)")) {
            try LearningRatePolicy.cosine(warmupSteps: 10, totalSteps: 10).validate(field: "training.schedule")
        }
        #expect(throws: ModelError.invalidConfig("x.plateau.factor must lie in (0, 1), got 1.5")) {
            try LearningRatePolicy.plateau(monitor: .trainingLoss, factor: 1.5, patience: 2).validate(field: "x")
        }
    }

    @Test func roundTripsThroughJSON() throws {
        for policy in [LearningRatePolicy.constant, .cosine(warmupSteps: 5, totalSteps: nil, minimum: 1e-6), .standard] {
            #expect(try JSONDecoder().decode(LearningRatePolicy.self, from: JSONEncoder().encode(policy)) == policy)
        }
    }

    @Test func settingsLeftOutTakeTheirDefaults() throws {
        func decode(_ json: String) throws -> LearningRatePolicy { try JSONDecoder().decode(LearningRatePolicy.self, from: Data(json.utf8)) }
        #expect(try decode(#"{"cosine":{}}"#) == .cosine(warmupSteps: 0, totalSteps: nil, minimum: 0))
        #expect(try decode(#"{"cosine":{"totalSteps":500}}"#) == .cosine(totalSteps: 500))
        #expect(try decode(#"{"plateau":{"monitor":"validationLoss"}}"#) == .plateau(monitor: .validationLoss, factor: 0.1, patience: 15))
        #expect(try decode(#"{"constant":{}}"#) == .constant)
        #expect(throws: DecodingError.self) { _ = try decode(#"{"exponential":{}}"#) }
    }
}
