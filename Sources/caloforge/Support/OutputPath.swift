import Foundation

/// Checks of output and input paths made before any work, so that a bad path fails at once instead
/// of after an hour of sampling or evaluating, with a message naming the option.
enum OutputPath {
    /// A file to be written: not empty, not a folder, in an existing writable folder, and with no
    /// folder standing where a file written beside it goes (`companions`, such as `.json` and `.partial`).
    static func checkFile(_ path: String, option: String, companions: [String] = []) throws {
        guard !path.isEmpty else { throw CommandError.emptyPath(option: option) }
        if path.hasSuffix("/") || isFolder(path) { throw CommandError.outputIsFolder(option: option, path: path) }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard isFolder(folder) else { throw CommandError.folderMissing(option: option, path: path, folder: folder) }
        guard access(folder, W_OK) == 0 else { throw CommandError.notWritable(option: option, path: path, folder: folder) }
        for companion in companions.map({ path + $0 }) where isFolder(companion) {
            throw CommandError.companionIsFolder(option: option, path: path, companion: companion)
        }
    }

    /// A folder to be written into, created if missing: not empty, not a file, and writable (or,
    /// when missing, creatable: its nearest existing parent is a writable folder).
    static func checkFolder(_ path: String, option: String) throws {
        guard !path.isEmpty else { throw CommandError.emptyPath(option: option) }
        var candidate = URL(fileURLWithPath: path).standardizedFileURL
        while !FileManager.default.fileExists(atPath: candidate.path) {
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { break }
            candidate = parent
        }
        guard isFolder(candidate.path) else {
            let named = candidate == URL(fileURLWithPath: path).standardizedFileURL ? path : candidate.path
            throw CommandError.outputIsFile(option: option, path: named)
        }
        guard access(candidate.path, W_OK) == 0 else {
            throw CommandError.notWritable(option: option, path: path, folder: candidate.path)
        }
    }

    /// An input file that must not be a folder (`hint` says what to give instead).
    static func checkInputFile(_ path: String, option: String, hint: String) throws {
        guard !path.isEmpty else { throw CommandError.emptyPath(option: option) }
        if isFolder(path) { throw CommandError.inputIsFolder(option: option, path: path, hint: hint) }
    }

    /// Refuses an output that is the same file as an input (same path after resolving links, or the
    /// same file through a hard link).
    static func checkDistinct(output: String, option: String, input: String?, inputOption: String) throws {
        guard let input, isSameFile(output, input) else { return }
        throw CommandError.outputIsInput(option: option, path: output, inputOption: inputOption)
    }

    /// True when both paths name one file.
    static func isSameFile(_ a: String, _ b: String) -> Bool {
        var first = stat()
        var second = stat()
        if stat(a, &first) == 0, stat(b, &second) == 0 {
            return first.st_dev == second.st_dev && first.st_ino == second.st_ino
        }
        return URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath()
            == URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath()
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
