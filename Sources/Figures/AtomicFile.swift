import Foundation

/// Writes files so that a reader never sees a half-written one: the data go to a temporary file in
/// the same directory, which is then renamed over the destination.
enum AtomicFile {
    /// Writes `text` as UTF-8 to `url` atomically.
    ///
    /// - Throws: ``FigureError/cannotWrite(path:reason:)`` naming `url`.
    static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Writes `data` to `url` atomically.
    ///
    /// - Throws: ``FigureError/cannotWrite(path:reason:)`` naming `url`.
    static func write(_ data: Data, to url: URL) throws {
        let temporary = temporaryURL(for: url)
        do {
            try data.write(to: temporary)
        } catch {
            throw FigureError.cannotWrite(path: url.path, reason: (error as NSError).localizedDescription)
        }
        try replace(url, with: temporary)
    }

    /// The temporary file beside `url` that a writer fills before ``replace(_:with:)``.
    static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// Renames `temporary` over `url` (rename(2) replaces the destination atomically on one file
    /// system); on failure removes `temporary` and throws ``FigureError/cannotWrite(path:reason:)``.
    static func replace(_ url: URL, with temporary: URL) throws(FigureError) {
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw FigureError.cannotWrite(path: url.path, reason: reason)
        }
    }
}
