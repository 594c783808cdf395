/// When a run stops before its epoch or step limit, judged once per epoch from its losses.
/// A rule is pure: it maps the count of "bad" epochs so far and this epoch's losses to the new count,
/// and the run stops when that count reaches the patience. As JSON: `{"validationAboveTraining": {"patience": 20}}`.
public enum StoppingRule: Codable, Equatable, Sendable {
    /// Never stop early.
    case never
    /// CaloDiffusion's "diff" mode: stop after `patience` epochs in a row whose validation loss is
    /// ≥ the training loss (spec/models.md §A.14).
    case validationAboveTraining(patience: Int)
    /// Stop after `patience` epochs in a row without a validation loss below the best one so far.
    case validationPatience(patience: Int)

    /// Today's default: the "diff" rule with patience 20.
    public static let standard = StoppingRule.validationAboveTraining(patience: 20)

    /// The count of bad epochs after an epoch with these losses; `bestValidationLoss` is the best
    /// validation loss of the earlier epochs (nil before the first).
    public func badEpochs(after count: Int, trainingLoss: Double, validationLoss: Double, bestValidationLoss: Double?) -> Int {
        switch self {
        case .never: return 0
        case .validationAboveTraining: return validationLoss - trainingLoss >= 0 ? count + 1 : 0
        case .validationPatience: return bestValidationLoss.map { validationLoss < $0 } ?? true ? 0 : count + 1
        }
    }

    /// True when `badEpochs` bad epochs end the run.
    public func shouldStop(badEpochs: Int) -> Bool {
        switch self {
        case .never: return false
        case let .validationAboveTraining(patience), let .validationPatience(patience): return badEpochs >= patience
        }
    }

    /// Throws ``ModelError/invalidConfig(_:)`` for a patience below 1.
    public func validate() throws {
        switch self {
        case .never: return
        case let .validationAboveTraining(patience), let .validationPatience(patience):
            guard patience >= 1 else { throw ModelError.invalidConfig("training.stopping patience must be at least 1, got \(patience)") }
        }
    }
}
