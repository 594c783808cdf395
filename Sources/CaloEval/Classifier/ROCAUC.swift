/// The area under the ROC curve of `scores` for binary `labels` (1 = positive), by the trapezoidal
/// rule over the curve's vertices at every distinct score (spec/calochallenge.md §5.4; sklearn
/// `roc_auc_score`). Tied scores form one vertex, so a tie between a positive and a negative
/// counts one half, as in the Mann–Whitney statistic.
///
/// The area is accumulated in integers, Σ ΔFP·(TPₖ + TPₖ₋₁), and divided by 2·P·N once.
///
/// - Throws: ``EvaluationError/invalidArgument(_:)`` for mismatched lengths, labels other than 0 and
///   1, NaN scores, or when one class is missing (the AUC is then undefined, as sklearn says).
public func rocAUC(scores: [Double], labels: [Double]) throws -> Double {
    guard scores.count == labels.count else {
        throw EvaluationError.invalidArgument("ROC AUC: \(scores.count) scores but \(labels.count) labels")
    }
    guard labels.allSatisfy({ $0 == 0 || $0 == 1 }), !scores.contains(where: \.isNaN) else {
        throw EvaluationError.invalidArgument("ROC AUC: labels must be 0 or 1 and scores must not be NaN")
    }
    let positives = labels.reduce(0) { $0 + Int($1) }
    let negatives = labels.count - positives
    guard positives > 0, negatives > 0 else {
        throw EvaluationError.invalidArgument(
            "ROC AUC is undefined with \(positives) positive and \(negatives) negative events; both classes are needed")
    }
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var truePositives = 0, falsePositives = 0
    var previousTP = 0, previousFP = 0
    var twiceArea = 0
    for (rank, index) in order.enumerated() {
        if labels[index] == 1 { truePositives += 1 } else { falsePositives += 1 }
        let isLastOfTie = rank == order.count - 1 || scores[order[rank + 1]] != scores[index]
        if isLastOfTie {
            twiceArea += (falsePositives - previousFP) * (truePositives + previousTP)
            previousTP = truePositives
            previousFP = falsePositives
        }
    }
    return Double(twiceArea) / (2 * Double(positives) * Double(negatives))
}
