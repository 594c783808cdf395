import Foundation

/// Errors of the CaloEval module (metrics, evaluation and report; the figure engine's are `FigureError`). Each names the value or file at fault and what to do.
public enum EvaluationError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// An argument or input that cannot be used, worded as an instruction.
    case invalidArgument(String)
    /// A metric name that does not exist.
    case unknownMetric(String)
    /// A histogram whose binning cannot be built (for example a reference maximum below the threshold).
    case undefinedHistogram(key: String, reason: String)
    /// Generated and reference inputs disagree in a way that `--strict` turns into an error.
    case inputMismatch(path: String, problem: String)
    /// An output file could not be written.
    case cannotWrite(path: String, reason: String)
    /// The run was asked to stop (Ctrl-C); what is finished is saved in `resumeFrom`.
    case interrupted(resumeFrom: String)
    /// A saved partial evaluation cannot be continued: it belongs to other inputs or settings, or is damaged.
    case cannotResume(path: String, reason: String)
    /// A ResNet depth that resnet.py does not define.
    case unsupportedResNetDepth(Int)
    /// A classifier test the official code does not define for this geometry (cls-resnet on ds1).
    case classifierUndefined(metric: String, geometry: String)

    public var description: String {
        switch self {
        case let .invalidArgument(message):
            return message
        case let .unknownMetric(name):
            return "unknown metric '\(name)'; choose from \(Metric.selectionNames.joined(separator: ", "))"
        case let .undefinedHistogram(key, reason):
            return "histogram \(key) is undefined: \(reason)"
        case let .inputMismatch(path, problem):
            return "\(path): \(problem); fix the input or drop --strict to evaluate anyway with a warning"
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason); check that the output folder exists and is writable"
        case let .interrupted(folder):
            return "interrupted; finished work is kept in \(folder); run the same command with --resume to continue"
        case let .cannotResume(path, reason):
            return "cannot resume from \(path): \(reason); pass --restart to discard the saved work and start again"
        case .unsupportedResNetDepth(let depth):
            return "a ResNet of depth \(depth) is not defined; choose one of \(ResNetPlan.depths.map(String.init).joined(separator: ", "))"
        case let .classifierUndefined(metric, geometry):
            return "\(metric) is not defined for \(geometry) (evaluate.py defines it for ds2 and ds3 only); leave it out of --metrics"
        }
    }

    public var errorDescription: String? { description }
}
