import Foundation

/// Converts SVG files to PNG by running Debian's `rsvg-convert` (package librsvg2-bin) as a
/// subprocess.
public struct SVGRasterizer: Sendable, Equatable {
    /// Program name looked up on `PATH`, or a path containing "/".
    public var executable: String
    /// Zoom factor: 2 turns a 640 × 480 figure into a 1280 × 960 PNG.
    public var zoom: Double

    /// A rasterizer running `executable` at `zoom`.
    public init(executable: String = "rsvg-convert", zoom: Double = 2) {
        self.executable = executable
        self.zoom = zoom
    }

    /// The executable's location, or nil when it is not installed.
    public var executableURL: URL? {
        let fileManager = FileManager.default
        if executable.contains("/") {
            return fileManager.isExecutableFile(atPath: executable) ? URL(fileURLWithPath: executable) : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(executable)
            if fileManager.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// One rsvg-convert run writing `png` through a temporary file beside it (renamed by the caller).
    private func conversionProcess(executable url: URL, svg: URL, png: URL) -> (Process, Pipe, URL) {
        let temporary = AtomicFile.temporaryURL(for: png)
        let process = Process()
        process.executableURL = url
        process.arguments = ["--zoom", SVGText.number(zoom), "--format", "png", "--output", temporary.path, svg.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        return (process, errors, temporary)
    }

    /// Whether the executable is installed.
    public var isAvailable: Bool { executableURL != nil }

    /// Writes `png` from the SVG file `svg`. Throws ``FigureError/rasterizerMissing(executable:)`` when the tool
    /// is not installed, ``FigureError/rasterizerFailed(executable:status:input:message:)`` with its error
    /// output when it fails, and ``FigureError/cannotWrite(path:reason:)`` when the PNG cannot be put in place.
    public func convert(svg: URL, to png: URL) throws {
        guard let url = executableURL else { throw FigureError.rasterizerMissing(executable: executable) }
        let (process, errors, temporary) = conversionProcess(executable: url, svg: svg, png: png)
        do {
            try process.run()
        } catch {
            throw FigureError.rasterizerFailed(
                executable: url.path, status: -1, input: svg.path, message: (error as NSError).localizedDescription)
        }
        // Read before waiting, so a chatty tool cannot fill the pipe and block.
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw FigureError.rasterizerFailed(
                executable: url.path, status: process.terminationStatus, input: svg.path, message: message)
        }
        try AtomicFile.replace(png, with: temporary)
    }

    /// Converts several SVG files to PNG, running up to `parallelism` converters at once (one
    /// process each), and calls `progress` with the number done after each. Stops at the first
    /// failure, after the running conversions finish, and throws as ``convert(svg:to:)`` does.
    public func convert(_ files: [(svg: URL, png: URL)], parallelism: Int, progress: (Int) -> Void = { _ in }) throws {
        guard let url = executableURL else { throw FigureError.rasterizerMissing(executable: executable) }
        struct Running {
            var process: Process
            var errors: Pipe
            var svg: URL
            var png: URL
            var temporary: URL
        }
        var running: [Running] = []
        var next = 0
        var done = 0
        var failure: FigureError?
        func finish(_ job: Running) {
            job.process.waitUntilExit()
            let message = String(decoding: job.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if job.process.terminationReason != .exit || job.process.terminationStatus != 0 {
                try? FileManager.default.removeItem(at: job.temporary)
                failure =
                    failure
                    ?? .rasterizerFailed(
                        executable: url.path, status: job.process.terminationStatus, input: job.svg.path, message: message)
            } else {
                do { try AtomicFile.replace(job.png, with: job.temporary) } catch { failure = failure ?? error }
            }
            done += 1
            progress(done)
        }
        while next < files.count || !running.isEmpty {
            while failure == nil, next < files.count, running.count < Swift.max(parallelism, 1) {
                let (svg, png) = files[next]
                next += 1
                // rsvg-convert writes little to stderr; the pipe is read after the exit.
                let (process, errors, temporary) = conversionProcess(executable: url, svg: svg, png: png)
                do {
                    try process.run()
                } catch {
                    failure =
                        failure
                        ?? .rasterizerFailed(
                            executable: url.path, status: -1, input: svg.path, message: (error as NSError).localizedDescription)
                    continue
                }
                running.append(Running(process: process, errors: errors, svg: svg, png: png, temporary: temporary))
            }
            if running.isEmpty { break }
            finish(running.removeFirst())
        }
        if let failure { throw failure }
    }
}
