import Foundation
import Torch

/// The numbers the classifier test reports for one trained classifier (spec/calochallenge.md
/// §5.4), all from calibrated probabilities on the validation set.
public struct ClassifierScore: Sendable, Equatable, Codable {
    /// ROC AUC of the calibrated probabilities.
    public var auc: Double
    /// JSD estimate normalised to [0, 1]: (ln 2 − BCE) / ln 2 (slightly negative is possible).
    public var jsd: Double
    /// Fraction of events whose calibrated probability, rounded (half to even), equals the label.
    public var accuracy: Double
    /// Mean binary cross-entropy of the calibrated probabilities (log terms clamped at −100).
    public var binaryCrossEntropy: Double

    public init(auc: Double, jsd: Double, accuracy: Double, binaryCrossEntropy: Double) {
        self.auc = auc
        self.jsd = jsd
        self.accuracy = accuracy
        self.binaryCrossEntropy = binaryCrossEntropy
    }

    /// The calibration bounds of evaluate.py: `y_min = 1e-6`, `y_max = 1 − 1e-6`.
    public static let calibrationBounds = (minimum: 1e-6, maximum: 1 - 1e-6)

    /// Calibrates and scores (evaluate.py `evaluate_cls(final_eval=True)`, spec §5.4): an
    /// isotonic regression from the test probabilities to the test labels, clipped to
    /// ``calibrationBounds``, maps the validation probabilities; from those come accuracy, AUC
    /// (``rocAUC(scores:labels:)``), BCE (PyTorch `BCELoss`) and JSD = (ln 2 − BCE) / ln 2.
    ///
    /// - Parameters:
    ///   - calibrationProbabilities, calibrationLabels: raw sigmoid outputs and labels (1 =
    ///     reference) of the test set.
    ///   - probabilities, labels: the same for the validation set.
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` for mismatched lengths or a missing class.
    public init(calibrationProbabilities: [Double], calibrationLabels: [Double], probabilities: [Double], labels: [Double]) throws
    {
        guard probabilities.count == labels.count, !labels.isEmpty else {
            throw EvaluationError.invalidArgument("classifier score: \(probabilities.count) probabilities but \(labels.count) labels")
        }
        let calibration = try IsotonicRegression(
            fitting: calibrationProbabilities, calibrationLabels,
            minimum: Self.calibrationBounds.minimum, maximum: Self.calibrationBounds.maximum)
        let calibrated = calibration(probabilities)
        let correct = zip(calibrated, labels).filter { $0.rounded(.toNearestOrEven) == $1 }.count
        let bce = meanBinaryCrossEntropy(probabilities: calibrated, labels: labels)
        self.init(
            auc: try rocAUC(scores: calibrated, labels: labels), jsd: jensenShannonDivergence(binaryCrossEntropy: bce),
            accuracy: Double(correct) / Double(labels.count), binaryCrossEntropy: bce)
    }
}

/// The normalised Jensen–Shannon divergence estimate of the classifier test,
/// JSD = (ln 2 − BCE) / ln 2 (spec/calochallenge.md §5.4 step 4): 0 for a classifier at chance
/// (BCE = ln 2), 1 for a perfect one (BCE = 0).
public func jensenShannonDivergence(binaryCrossEntropy bce: Double) -> Double {
    (Foundation.log(2.0) - bce) / Foundation.log(2.0)
}

/// Mean binary cross-entropy of probabilities p against labels y, as PyTorch's `BCELoss`:
/// −mean(y·max(ln p, −100) + (1 − y)·max(ln(1 − p), −100)).
public func meanBinaryCrossEntropy(probabilities: [Double], labels: [Double]) -> Double {
    precondition(probabilities.count == labels.count && !labels.isEmpty, "meanBinaryCrossEntropy: lengths differ or are 0")
    var total = 0.0
    for (p, y) in zip(probabilities, labels) {
        let logP = Swift.max(Foundation.log(p), -100)
        let logNotP = Swift.max(Foundation.log1p(-p), -100)
        total += (y - 1) * logNotP - y * logP
    }
    return total / Double(labels.count)
}
