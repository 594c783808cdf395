import Foundation

/// Errors thrown by the FPD/KPD, PRDC and classifier metrics of `CaloEval`. Each names the
/// metric, the offending value and what to do about it.
public enum MetricError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A metric was given inputs it cannot use (wrong shape, too few events, bad parameter).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .invalidArgument(message): return message
        }
    }

    public var errorDescription: String? { description }
}
