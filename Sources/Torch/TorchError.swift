import Foundation

/// Errors thrown by the `Torch` module. Every case names what failed and how to act on it.
public enum TorchError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A LibTorch operation failed; `shapes` are the shapes of its tensor inputs.
    case operationFailed(op: String, shapes: [[Int]], message: String)
    /// A LibTorch operation ran out of host or device memory.
    case outOfMemory(op: String, shapes: [[Int]], message: String)
    /// CUDA was asked for but cannot be used on this machine.
    case cudaUnavailable(reason: String)
    /// The LibTorch loaded at run time is not the one CaloForge was compiled against.
    case versionMismatch(built: String, runtime: String)
    /// An argument was invalid before any LibTorch call was made.
    case invalidArgument(String)
    /// A safetensors file could not be read or written.
    case safetensors(path: String, message: String)

    public var description: String {
        switch self {
        case let .operationFailed(op, shapes, message):
            return "\(op) failed\(Self.describe(shapes)): \(Self.firstLines(message))"
        case let .outOfMemory(op, shapes, message):
            return "\(op) ran out of memory\(Self.describe(shapes)): \(Self.firstLines(message)). "
                + "Try a smaller --batch-size."
        case let .cudaUnavailable(reason):
            return "CUDA was requested but is not available: \(reason). "
                + "Run `caloforge env` to see what this machine offers, or use --device cpu."
        case let .versionMismatch(built, runtime):
            return "CaloForge was built against LibTorch \(built) but LibTorch \(runtime) was loaded at run time; "
                + "point LD_LIBRARY_PATH (or LIBTORCH when building) at LibTorch \(built), see docs/gpu.md."
        case let .invalidArgument(message):
            return message
        case let .safetensors(path, message):
            return "safetensors file \(path): \(message)"
        }
    }

    public var errorDescription: String? { description }

    private static func describe(_ shapes: [[Int]]) -> String {
        guard !shapes.isEmpty else { return "" }
        let list = shapes.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }
        return " for input shape" + (shapes.count > 1 ? "s " : " ") + list.joined(separator: " and ")
    }

    /// LibTorch messages can run to many lines of context; keep the informative head.
    private static func firstLines(_ message: String) -> String {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: true).prefix(3)
        return lines.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}
