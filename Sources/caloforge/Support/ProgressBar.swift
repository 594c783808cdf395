import Foundation

/// A progress report on standard error: events done, rate and time left. On a terminal it redraws
/// one line in place; otherwise (a log file, CI) it prints a line at most every `lineInterval`
/// seconds and at the end, so logs stay short. The one progress display of the commands: `evaluate`
/// shows each stage of its passes as a bar of its own (``EvaluationProgressDisplay``).
final class ProgressBar {
    let total: Int
    let label: String
    /// What is counted, before the count (`features reference`); empty for none. It may change
    /// between reports (a classifier's test accuracy after each epoch).
    var title: String
    let isTerminal: Bool
    let width: Int
    let lineInterval: Double
    /// Work already done before this bar started (a resumed run); rates count only what follows.
    let initial: Int
    private let start: Double
    private var lastDraw = -Double.infinity
    private(set) var finished = false

    init(
        total: Int, label: String = "events", title: String = "", isTerminal: Bool = isatty(STDERR_FILENO) == 1, width: Int = 30,
        lineInterval: Double = 10, initial: Int = 0
    ) {
        self.initial = initial
        self.total = Swift.max(total, 1)
        self.label = label
        self.title = title
        self.isTerminal = isTerminal
        self.width = width
        self.lineInterval = lineInterval
        start = Self.now()
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Reports `done` events, with an optional `detail` (e.g. the current loss) after the timing;
    /// redraws at most 10 times a second on a terminal.
    func update(_ done: Int, detail: String = "") {
        let now = Self.now()
        let complete = done >= total
        if isTerminal {
            guard complete || now - lastDraw >= 0.1 else { return }
            write("\r" + line(done: done, elapsed: now - start) + suffix(detail) + "\u{1B}[K" + (complete ? "\n" : ""))
        } else {
            guard complete || now - lastDraw >= lineInterval else { return }
            write(line(done: done, elapsed: now - start) + suffix(detail) + "\n")
        }
        lastDraw = now
        if complete { finished = true }
    }

    /// Ends an unfinished bar's line (after an error), so the next message starts on its own line.
    func close() {
        if isLineOpen { write("\n") }
        finished = true
    }

    /// The text of one report, e.g. `[██████░░░░]  600/1000 events  20.0%  1234 events/s  ETA 0:03`, or with
    /// a title `[██████░░░░] features reference: 600/1000 events …`. On a terminal the count is padded to
    /// the total's width so a redrawn line keeps its layout; in a log it is not, so it reads `7/40 epochs`.
    /// The rate is left out until work is seen to happen after `initial`.
    func line(done: Int, elapsed: Double) -> String {
        let fraction = Swift.min(Double(done) / Double(total), 1)
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        // A rate needs work seen to happen: none before the first step after `initial`.
        let isMeasured = done > initial && elapsed > 0
        let rate = isMeasured ? Double(done - initial) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let speed = isMeasured ? "  \(Self.rate(rate)) \(label)/s" : ""
        let countWidth = String(total).count
        let padding = isTerminal ? Swift.max(0, countWidth - String(done).count) : 0
        let doneText = String(repeating: " ", count: padding) + String(done)
        let heading = title.isEmpty ? "" : "\(title): "
        let timing = done >= total ? "in \(Self.clock(elapsed))" : "ETA \(rate > 0 ? Self.clock(remaining) : "--:--")"
        return
            "[\(bar)] \(heading)\(doneText)/\(total) \(label) \(String(format: "%5.1f", fraction * 100))%\(speed)  \(timing)"
    }

    private func suffix(_ detail: String) -> String { detail.isEmpty ? "" : "  " + detail }

    /// A rate with about three significant digits: `1234`, `12.3`, `0.52`.
    static func rate(_ value: Double) -> String {
        String(format: value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value)
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60) }
        return String(format: "%d:%02d", s / 60, s % 60)
    }

    /// Whether the last report left its line open on a terminal (a bar drawn, not yet complete).
    var isLineOpen: Bool { isTerminal && !finished && lastDraw > -Double.infinity }

    /// Writes one finished line of text on standard error (a note between bars).
    static func writeLine(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
