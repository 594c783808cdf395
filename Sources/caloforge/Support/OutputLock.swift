import Foundation

/// An exclusive lock on an output folder, so that two `train` or `evaluate` runs never write into
/// one folder at once: `<folder>/.lock`, held with flock(2) and holding the holder's pid, host,
/// command and start time for the message the second run prints. The kernel drops a flock when its
/// process dies, so a lock file left by a killed run is stale and simply taken over.
final class OutputLock {
    static let fileName = ".lock"

    let url: URL
    private var descriptor: Int32
    /// Whether ``acquire(folder:option:command:)`` created the folder (and removes it again on
    /// ``release()`` when nothing else was written there).
    private let createdFolder: Bool

    private init(url: URL, descriptor: Int32, createdFolder: Bool) {
        self.url = url
        self.descriptor = descriptor
        self.createdFolder = createdFolder
    }

    /// Creates `folder` if missing and locks it.
    ///
    /// - Throws: ``CommandError/outputLocked(folder:holder:)`` naming the running holder;
    ///   ``CommandError/notWritable(option:path:folder:)`` when the folder or its lock cannot be created.
    static func acquire(folder: String, option: String, command: String) throws -> OutputLock {
        try OutputPath.checkFolder(folder, option: option)
        let existed = FileManager.default.fileExists(atPath: folder)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CommandError.notWritable(option: option, path: folder, folder: folder)
        }
        let url = URL(fileURLWithPath: folder).appendingPathComponent(fileName)
        while true {
            let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw CommandError.notWritable(option: option, path: folder, folder: folder) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                let holder = (try? String(contentsOf: url, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                close(descriptor)
                throw CommandError.outputLocked(folder: folder, holder: holder.flatMap { $0.isEmpty ? nil : $0 } ?? "holder unknown")
            }
            // The previous holder unlinks the file as it lets go; a lock on that unlinked file locks nothing.
            var opened = stat()
            var current = stat()
            guard fstat(descriptor, &opened) == 0, stat(url.path, &current) == 0, opened.st_ino == current.st_ino,
                opened.st_dev == current.st_dev
            else {
                close(descriptor)
                continue
            }
            let host = ProcessInfo.processInfo.hostName
            let started = ISO8601DateFormatter().string(from: Date())
            let text = "pid \(getpid()) on \(host), caloforge \(command), started \(started)\n"
            _ = ftruncate(descriptor, 0)
            _ = text.withCString { write(descriptor, $0, strlen($0)) }
            return OutputLock(url: url, descriptor: descriptor, createdFolder: !existed)
        }
    }

    /// Removes the lock file and lets go of the lock (and removes the folder when this lock created
    /// it and it stayed empty). Called by `deinit` too.
    func release() {
        guard descriptor >= 0 else { return }
        unlink(url.path)
        close(descriptor)
        descriptor = -1
        let folder = url.deletingLastPathComponent()
        if createdFolder, (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    deinit { release() }
}
