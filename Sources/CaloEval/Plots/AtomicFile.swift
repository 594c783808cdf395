import Foundation

/// Writes files so that a reader never sees a half-written one: the data go to a temporary file in
/// the same directory, which is then renamed over the destination.
enum AtomicFile {
    static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try data.write(to: temporary)
        } catch {
            throw EvaluationError.cannotWrite(path: url.path, reason: (error as NSError).localizedDescription)
        }
        // rename(2) replaces the destination atomically on one file system.
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw EvaluationError.cannotWrite(path: url.path, reason: reason)
        }
    }
}
