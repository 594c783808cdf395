import Foundation
import Testing
import Torch
@testable import CaloEval

@Suite struct ClassifierScoreTests {
    @Test func aucOfSeparableReversedAndTiedScores() throws {
        #expect(try rocAUC(scores: [0.1, 0.2, 0.8, 0.9], labels: [0, 0, 1, 1]) == 1)
        #expect(try rocAUC(scores: [0.9, 0.8, 0.2, 0.1], labels: [0, 0, 1, 1]) == 0)
        #expect(try rocAUC(scores: [0.5, 0.5, 0.5, 0.5], labels: [0, 1, 0, 1]) == 0.5)
        // sklearn's docstring example, and a tie between classes counting one half.
        #expect(try rocAUC(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1]) == 0.75)
        #expect(try rocAUC(scores: [0.1, 0.5, 0.5, 0.9], labels: [0, 0, 1, 1]) == 0.875)
    }

    @Test func aucNeedsBothClasses() {
        #expect(throws: EvaluationError.self) { try rocAUC(scores: [0.1, 0.2], labels: [1, 1]) }
        #expect(throws: EvaluationError.self) { try rocAUC(scores: [0.1, 0.2], labels: [0, 2]) }
    }

    @Test func jsdClosedForms() {
        #expect(jensenShannonDivergence(binaryCrossEntropy: log(2)) == 0)
        #expect(jensenShannonDivergence(binaryCrossEntropy: 0) == 1)
        #expect(isClose(meanBinaryCrossEntropy(probabilities: [0.5, 0.5], labels: [0, 1]), log(2), atol: 1e-15))
        // Log terms are clamped at −100, as PyTorch's BCELoss.
        #expect(meanBinaryCrossEntropy(probabilities: [0, 1], labels: [1, 0]) == 100)
        #expect(meanBinaryCrossEntropy(probabilities: [1, 0], labels: [1, 0]) == 0)
        // A perfect calibrated classifier at the official bounds: BCE = −ln(1 − 1e-6).
        let bce = meanBinaryCrossEntropy(probabilities: [1e-6, 1 - 1e-6], labels: [0, 1])
        #expect(isClose(jensenShannonDivergence(binaryCrossEntropy: bce), 1 + log1p(-1e-6) / log(2), atol: 1e-12))
    }

    @Test func calibratedScoresMatchEvaluatePyOnFixedLogits() throws {
        let inputs = try MetricFixtures.inputs()
        func probabilities(_ name: String) throws -> [Double] { try #require(inputs[name]).sigmoid().toArray(Double.self) }
        func values(_ name: String) throws -> [Double] { try #require(inputs[name]).toArray(Double.self) }
        let calibrationProbabilities = try probabilities("cls.test_logits")
        let calibration = try IsotonicRegression(
            fitting: calibrationProbabilities, values("cls.test_labels"), minimum: 1e-6, maximum: 1 - 1e-6)
        let calibrated = calibration(try probabilities("cls.val_logits"))
        let expected = try values("cls.val_calibrated")
        #expect(zip(calibrated, expected).allSatisfy { isClose($0, $1, atol: 1e-12) })

        let golden = try MetricFixtures.golden().calibration
        let score = try ClassifierScore(
            calibrationProbabilities: calibrationProbabilities, calibrationLabels: values("cls.test_labels"),
            probabilities: probabilities("cls.val_logits"), labels: values("cls.val_labels"))
        validationReport("calibration ours \(score) evaluate.py \(golden)")
        #expect(isClose(score.auc, golden.auc, atol: 1e-12), "AUC \(score.auc) vs \(golden.auc)")
        #expect(isClose(score.jsd, golden.jsd, atol: 1e-12), "JSD \(score.jsd) vs \(golden.jsd)")
        #expect(isClose(score.binaryCrossEntropy, golden.bce, atol: 1e-12))
        #expect(score.accuracy == golden.accuracy)
    }
}
