import Foundation

/// Errors of the CaloModels module, worded so the user can act on them.
public enum ModelError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A configuration value is missing or out of range.
    case invalidConfig(String)
    /// A checkpoint cannot be used (wrong geometry, missing metadata, other model kind).
    case invalidCheckpoint(path: String, reason: String)
    /// A run folder cannot be used as asked (e.g. --resume without a checkpoint).
    case invalidRun(String)

    public var description: String {
        switch self {
        case let .invalidConfig(message): return "invalid model configuration: \(message)"
        case let .invalidCheckpoint(path, reason): return "checkpoint \(path): \(reason)"
        case let .invalidRun(message): return message
        }
    }

    public var errorDescription: String? { description }
}
