@testable import CaloModels
import Foundation
import Testing

@Suite struct StoppingRuleTests {
    /// Feeds (training, validation) losses epoch by epoch; returns the 1-based epoch that stops the run.
    func stoppingEpoch(_ rule: StoppingRule, _ losses: [(Double, Double)]) -> Int? {
        var count = 0
        var best: Double?
        for (index, (training, validation)) in losses.enumerated() {
            count = rule.badEpochs(after: count, trainingLoss: training, validationLoss: validation, bestValidationLoss: best)
            best = min(best ?? .infinity, validation)
            if rule.shouldStop(badEpochs: count) { return index + 1 }
        }
        return nil
    }

    @Test func diffRuleStopsAfterPatienceEpochsWithValidationAtOrAboveTraining() {
        let rule = StoppingRule.validationAboveTraining(patience: 3)
        // Epochs 2–3 are bad, epoch 4 resets (validation below training), epochs 5, 6 (equal counts) and 7 are bad.
        let losses = [(1.0, 0.9), (0.9, 1.0), (0.8, 0.85), (0.8, 0.7), (0.7, 0.71), (0.7, 0.7), (0.6, 0.9), (0.5, 0.4)]
        #expect(stoppingEpoch(rule, losses) == 7)
        #expect(stoppingEpoch(rule, Array(losses.prefix(6))) == nil)
    }

    @Test func validationPatienceCountsEpochsWithoutANewBest() {
        let rule = StoppingRule.validationPatience(patience: 2)
        // Best 1.0, 0.8; then 0.8 (not below: bad), 0.7 (new best), 0.75, 0.9 (bad, bad → stop at 6).
        let losses = [(0.0, 1.0), (0.0, 0.8), (0.0, 0.8), (0.0, 0.7), (0.0, 0.75), (0.0, 0.9), (0.0, 0.1)]
        #expect(stoppingEpoch(rule, losses) == 6)
        // The training loss plays no part.
        #expect(stoppingEpoch(rule, losses.map { (9.0, $0.1) }) == 6)
    }

    @Test func neverStops() {
        #expect(stoppingEpoch(.never, Array(repeating: (0.1, 5.0), count: 100)) == nil)
    }

    @Test func patienceBelowOneIsRejected() {
        #expect(throws: ModelError.invalidConfig("training.stopping patience must be at least 1, got 0")) {
            try StoppingRule.validationPatience(patience: 0).validate()
        }
        #expect(throws: Never.self) { try StoppingRule.standard.validate() }
    }

    @Test func jsonNamesTheRule() throws {
        let json = String(decoding: try JSONEncoder().encode(StoppingRule.validationAboveTraining(patience: 20)), as: UTF8.self)
        #expect(json == #"{"validationAboveTraining":{"patience":20}}"#)
        #expect(try JSONDecoder().decode(StoppingRule.self, from: Data(#"{"never":{}}"#.utf8)) == .never)
    }
}
