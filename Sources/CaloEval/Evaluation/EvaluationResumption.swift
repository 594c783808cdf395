import Foundation

/// The saved progress of a long evaluation, so that an interrupted one continues where it stopped
/// (`caloforge evaluate --resume` keeps it in `<out>/partial`).
///
/// The folder holds `progress.json` (the inputs and settings the work belongs to, how many times
/// the evaluation was started, and the seconds spent so far in metric families not yet finished),
/// `family-<name>.json` for every finished metric family (its reports and its compute time), and a
/// sub-folder per long family for its own intermediate state: the PRDC radii, the classifier
/// trainings' epochs (``ClassifierCheckpointing``). Every file is written atomically.
///
/// The files are read back only when they were made for the same inputs (path, size and
/// modification time of every file) and the same settings that change numbers; the device and the
/// thread count may differ between segments.
public final class EvaluationResumption: @unchecked Sendable {
    /// The folder of the saved progress.
    public let directory: URL
    /// Asked between metric families, between PRDC passes and after every classifier epoch: true
    /// saves what is done and ends the evaluation with ``EvaluationError/interrupted(resumeFrom:)``.
    public let shouldStop: @Sendable () -> Bool
    /// Asked between batches while the files are read (nil: the reading runs to its end); true ends
    /// the evaluation with ``EvaluationError/interrupted(resumeFrom:)`` before any metric.
    public let shouldStopReading: (@Sendable () -> Bool)?

    private struct Progress: Codable {
        var fingerprint: [String: String]
        var segments: Int
        /// Seconds spent in families that have not finished, over earlier segments.
        var unfinishedSeconds: [String: Double]
    }

    private struct FamilyRecord: Codable {
        var reports: [String: MetricReport]
        var seconds: Double
    }

    private let lock = NSLock()
    private var progress = Progress(fingerprint: [:], segments: 0, unfinishedSeconds: [:])
    private var running: (family: String, start: Date)?

    public init(
        directory: URL, shouldStop: @escaping @Sendable () -> Bool = { false },
        shouldStopReading: (@Sendable () -> Bool)? = nil
    ) {
        self.directory = directory
        self.shouldStop = shouldStop
        self.shouldStopReading = shouldStopReading
    }

    private var progressFile: URL { directory.appendingPathComponent("progress.json") }

    /// True when the folder holds saved progress.
    public var hasSavedProgress: Bool { FileManager.default.fileExists(atPath: progressFile.path) }

    /// Starts a segment: checks that saved progress belongs to `fingerprint`, or clears the folder for
    /// a fresh evaluation. Returns the number of this segment (1 for a fresh evaluation).
    ///
    /// - Throws: ``EvaluationError/cannotResume(path:reason:)`` naming the settings that differ,
    ///   ``EvaluationError/cannotWrite(path:reason:)`` when the folder cannot be written.
    func begin(fingerprint: [String: String]) throws -> Int {
        try lock.withLock {
            if hasSavedProgress {
                let saved: Progress
                do {
                    saved = try JSONDecoder().decode(Progress.self, from: Data(contentsOf: progressFile))
                } catch {
                    throw EvaluationError.cannotResume(path: progressFile.path, reason: "it cannot be read (\(error))")
                }
                let differing = Set(saved.fingerprint.keys).union(fingerprint.keys).sorted().filter {
                    saved.fingerprint[$0] != fingerprint[$0]
                }
                if !differing.isEmpty {
                    let details = differing.prefix(3).map {
                        "\($0): saved \(saved.fingerprint[$0] ?? "none"), now \(fingerprint[$0] ?? "none")"
                    }
                    throw EvaluationError.cannotResume(
                        path: directory.path,
                        reason: "it was saved for other inputs or settings (\(details.joined(separator: "; ")))")
                }
                progress = saved
            } else {
                // Files without progress.json are left by a kill between two writes of a first
                // segment; nothing says which inputs they belong to.
                if FileManager.default.fileExists(atPath: directory.path) {
                    do { try FileManager.default.removeItem(at: directory) } catch {
                        throw EvaluationError.cannotWrite(path: directory.path, reason: error.localizedDescription)
                    }
                }
                progress = Progress(fingerprint: fingerprint, segments: 0, unfinishedSeconds: [:])
            }
            // progress.json is written with the first saved piece of work, so a run that fails or
            // stops before saving anything leaves no folder behind.
            progress.segments += 1
            return progress.segments
        }
    }

    /// The reports and compute time of a family finished in an earlier segment.
    func finished(family: String) throws -> (reports: [Metric: MetricReport], seconds: Double)? {
        let url = familyFile(family)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let record = try JSONDecoder().decode(FamilyRecord.self, from: Data(contentsOf: url))
            var reports: [Metric: MetricReport] = [:]
            for (name, report) in record.reports {
                guard let metric = Metric(rawValue: name) else { throw EvaluationError.unknownMetric(name) }
                reports[metric] = report
            }
            return (reports, record.seconds)
        } catch {
            throw EvaluationError.cannotResume(path: url.path, reason: "it cannot be read (\(error))")
        }
    }

    /// Marks `family` as computing from now on.
    func started(family: String) {
        lock.withLock { running = (family, Date()) }
    }

    /// Seconds the running family has spent, this segment included.
    func elapsedSeconds(family: String) -> Double {
        lock.withLock {
            let now = running.map { $0.family == family ? Date().timeIntervalSince($0.start) : 0 } ?? 0
            return (progress.unfinishedSeconds[family] ?? 0) + now
        }
    }

    /// Saves the running family's time so far (called after each of its own checkpoints and when it
    /// is interrupted), so that a later segment adds to it.
    func recordTime() {
        lock.withLock {
            guard let current = running else { return }
            let now = Date()
            progress.unfinishedSeconds[current.family, default: 0] += now.timeIntervalSince(current.start)
            running = (current.family, now)
            try? writeProgress()
        }
    }

    /// Saves a finished family's reports and total compute time.
    func finish(family: String, reports: [Metric: MetricReport], seconds: Double) throws {
        let record = FamilyRecord(
            reports: Dictionary(uniqueKeysWithValues: reports.map { ($0.key.rawValue, $0.value) }), seconds: seconds)
        try write(try JSONEncoder().encode(record), to: familyFile(family))
        lock.withLock {
            running = nil
            progress.unfinishedSeconds[family] = nil
            try? writeProgress()
        }
    }

    /// The folder where `family` keeps its own intermediate state.
    func folder(family: String) -> URL { directory.appendingPathComponent(family, isDirectory: true) }

    /// Removes the saved progress (after the outputs are written).
    public func discard() throws {
        guard FileManager.default.fileExists(atPath: directory.path) else { return }
        do {
            try FileManager.default.removeItem(at: directory)
        } catch {
            throw EvaluationError.cannotWrite(path: directory.path, reason: error.localizedDescription)
        }
    }

    private func familyFile(_ family: String) -> URL { directory.appendingPathComponent("family-\(family).json") }

    private func writeProgress() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(try encoder.encode(progress), to: progressFile)
    }

    private func write(_ data: Data, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw EvaluationError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }
}
