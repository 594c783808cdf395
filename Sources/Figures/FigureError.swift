import Foundation

/// Errors of the Figures module. Each names the file or tool at fault and what to do.
public enum FigureError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A figure file (SVG, PNG, or any file written through ``AtomicFile``) could not be written.
    case cannotWrite(path: String, reason: String)
    /// The SVG → PNG converter is not installed (not on `PATH`, or the given path does not exist).
    case rasterizerMissing(executable: String)
    /// The converter ran but failed; `message` is its standard error.
    case rasterizerFailed(executable: String, status: Int32, input: String, message: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason); check that the output folder exists and is writable"
        case .rasterizerMissing(let executable):
            return "cannot convert SVG to PNG: '\(executable)' was not found; install librsvg2-bin (scripts/bootstrap does this)"
        case .rasterizerFailed(let executable, let status, let input, let message):
            let detail = message.trimmingCharacters(in: .whitespacesAndNewlines)
            return
                "\(executable) failed with status \(status) converting \(input)\(detail.isEmpty ? "" : ": \(detail)"); check that the SVG is valid"
        }
    }

    public var errorDescription: String? { description }
}
