import Foundation
import TorchNN

/// How a part's learning rate moves during training, starting from ``TrainingPolicies/learningRate``.
/// Step schedules set the rate before every step from the step count alone, so a resumed run needs no
/// extra state; the plateau rule changes it at epoch ends and keeps its ``ReduceOnPlateau`` in the
/// trainer state. As JSON: `{"plateau": {"monitor": "trainingLoss", "factor": 0.1, "patience": 15}}`;
/// settings left out take their defaults (`{"cosine": {}}`; a plateau defaults to ``standard``'s).
public enum LearningRatePolicy: Codable, Equatable, Sendable {
    /// Which epoch loss a plateau rule watches.
    public enum Monitor: String, Codable, Sendable {
        /// The mean training loss of the epoch (CaloDiffusion, spec/models.md §A.14).
        case trainingLoss
        /// The validation loss after the epoch.
        case validationLoss
    }

    /// The rate never changes.
    case constant
    /// Linear warm-up over `warmupSteps`, then cosine decay to `minimum` at `totalSteps`
    /// (``CosineWarmupSchedule``; nil `totalSteps`: the run's step budget, `maxSteps` or
    /// `maxEpochs` × batches per epoch). With `warmupSteps` 0 it is plain cosine decay:
    /// lr(s) = minimum + (peak − minimum)·(1 + cos(π·s/totalSteps))/2.
    case cosine(warmupSteps: Int = 0, totalSteps: Int? = nil, minimum: Double = 0)
    /// Multiply the rate by `factor` when the monitored loss has not improved for more than
    /// `patience` epochs (PyTorch's `ReduceLROnPlateau`, mode "min", relative threshold 1e-4).
    case plateau(monitor: Monitor, factor: Double, patience: Int)

    /// Today's default: ReduceLROnPlateau(0.1, 15) on the training loss (spec/models.md §A.14).
    public static let standard = LearningRatePolicy.plateau(monitor: .trainingLoss, factor: 0.1, patience: 15)

    private enum CodingKeys: String, CodingKey { case constant, cosine, plateau }
    private enum SettingKeys: String, CodingKey { case warmupSteps, totalSteps, minimum, monitor, factor, patience }

    /// Decodes `{"<policy>": {settings}}`, taking the default of every setting left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let kind = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath, debugDescription: "name exactly one learning-rate policy of constant, cosine, plateau"))
        }
        let settings = try container.nestedContainer(keyedBy: SettingKeys.self, forKey: kind)
        func value<T: Decodable>(_ key: SettingKeys, _ fallback: T) throws -> T { try settings.decodeIfPresent(T.self, forKey: key) ?? fallback }
        switch kind {
        case .constant: self = .constant
        case .cosine:
            self = .cosine(warmupSteps: try value(.warmupSteps, 0), totalSteps: try settings.decodeIfPresent(Int.self, forKey: .totalSteps),
                           minimum: try value(.minimum, 0))
        case .plateau:
            self = .plateau(monitor: try value(.monitor, Monitor.trainingLoss), factor: try value(.factor, 0.1), patience: try value(.patience, 15))
        }
    }

    /// The step schedule of this policy peaking at `peak`, or nil for rules that act only at epoch ends.
    /// `stepBudget` stands in for a missing `totalSteps`.
    public func stepSchedule(peak: Double, stepBudget: Int) -> (any LearningRateSchedule)? {
        switch self {
        case .constant, .plateau: return nil
        case let .cosine(warmupSteps, totalSteps, minimum):
            return CosineWarmupSchedule(peak: peak, warmupSteps: warmupSteps, totalSteps: totalSteps ?? stepBudget, minimum: minimum)
        }
    }

    /// The plateau tracker this policy starts with, or nil when it has none.
    public func makePlateau() -> ReduceOnPlateau? {
        guard case let .plateau(_, factor, patience) = self else { return nil }
        return ReduceOnPlateau(factor: factor, patience: patience)
    }

    /// The loss a plateau rule watches (nil for the step schedules).
    public var monitor: Monitor? {
        guard case let .plateau(monitor, _, _) = self else { return nil }
        return monitor
    }

    /// Throws ``ModelError/invalidConfig(_:)`` naming the setting out of range; `field` prefixes it.
    public func validate(field: String) throws {
        switch self {
        case .constant: return
        case let .cosine(warmupSteps, totalSteps, minimum):
            guard warmupSteps >= 0 else { throw ModelError.invalidConfig("\(field).cosine.warmupSteps must not be negative, got \(warmupSteps)") }
            if let totalSteps, totalSteps <= warmupSteps {
                throw ModelError.invalidConfig("\(field).cosine.totalSteps (\(totalSteps)) must exceed warmupSteps (\(warmupSteps))")
            }
            guard minimum >= 0 else { throw ModelError.invalidConfig("\(field).cosine.minimum must not be negative, got \(minimum)") }
        case let .plateau(_, factor, patience):
            guard factor > 0, factor < 1 else { throw ModelError.invalidConfig("\(field).plateau.factor must lie in (0, 1), got \(factor)") }
            guard patience >= 0 else { throw ModelError.invalidConfig("\(field).plateau.patience must not be negative, got \(patience)") }
        }
    }
}
