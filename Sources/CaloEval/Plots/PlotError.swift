import Foundation

/// Errors of the plotting and report code: writing files and converting SVG to PNG.
public enum PlotError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The SVG → PNG converter is not installed (not on `PATH`, or the given path does not exist).
    case rasterizerMissing(executable: String)
    /// The converter ran but failed; `message` is its standard error.
    case rasterizerFailed(executable: String, status: Int32, input: String, message: String)
    /// A file could not be written.
    case writeFailed(path: String, reason: String)

    /// One sentence: what failed, the offending value, what to do.
    public var description: String {
        switch self {
        case .rasterizerMissing(let executable):
            return "cannot convert SVG to PNG: '\(executable)' was not found; install librsvg2-bin (scripts/bootstrap does this)"
        case .rasterizerFailed(let executable, let status, let input, let message):
            let detail = message.trimmingCharacters(in: .whitespacesAndNewlines)
            return
                "\(executable) failed with status \(status) converting \(input)\(detail.isEmpty ? "" : ": \(detail)"); check that the SVG is valid"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason); check that the directory exists and is writable"
        }
    }

    /// The same text as `description`.
    public var errorDescription: String? { description }
}
