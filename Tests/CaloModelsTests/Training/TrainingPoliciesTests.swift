@testable import CaloModels
import Foundation
import Testing

@Suite struct TrainingPoliciesTests {
    @Test func defaultsAreTodaysRecipe() {
        let policies = TrainingPolicies(learningRate: 4e-4)
        #expect(policies.optimizer == .standard)
        #expect(policies.schedule == .standard)
        #expect(policies.clipping == nil && policies.emaDecay == nil)
        #expect(TrainingConfig(learningRate: 4e-4).policies == policies)
    }

    @Test(arguments: [
        (TrainingPolicies(learningRate: 0), "energy.learningRate must be positive, got 0.0"),
        (TrainingPolicies(learningRate: 1, clipping: .perTensorNorm(maxNorm: -1)), "energy.clipping maxNorm must be positive, got -1.0"),
        (TrainingPolicies(learningRate: 1, emaDecay: 1), "energy.emaDecay must lie in (0, 1), got 1.0"),
        (TrainingPolicies(learningRate: 1, schedule: .cosine(warmupSteps: -1)), "energy.schedule.cosine.warmupSteps must not be negative, got -1"),
    ])
    func invalidSettingsNameTheField(policies: TrainingPolicies, message: String) {
        #expect(throws: ModelError.invalidConfig(message)) { try policies.validate(field: "energy") }
    }
}
