import CaloEval
import Foundation

/// Shows `evaluate`'s progress on standard error through ``ProgressBar``: one bar per pass (a stage
/// over one file, counted in one unit), retitled as its label changes (a classifier's accuracy after
/// each epoch), and a plain line when a metric family starts. Epochs and PRDC passes, minutes apart,
/// are logged at every step; passes over events at most every ``eventLineInterval`` seconds.
final class EvaluationProgressDisplay {
    private let enabled: Bool
    private let isTerminal: Bool
    private let eventLineInterval: Double
    /// The bar of the pass in progress, if any.
    private(set) var currentBar: ProgressBar?
    private var barKey = ""

    init(enabled: Bool, isTerminal: Bool = isatty(STDERR_FILENO) == 1, eventLineInterval: Double = 10) {
        self.enabled = enabled
        self.isTerminal = isTerminal
        self.eventLineInterval = eventLineInterval
    }

    /// Units counted in slow steps, each of which is worth a line in a log.
    static let slowUnits: Set<String> = ["epochs", "passes"]

    func update(_ progress: EvaluationProgress) {
        guard enabled else { return }
        if progress.stage == "metrics" {
            finish()
            ProgressBar.writeLine("computing \(progress.file)")
            return
        }
        let key = "\(progress.stage)/\(progress.unit)/\(progress.totalEvents)"
        let title = "\(progress.stage) \(progress.file)"
        if let bar = currentBar, key == barKey, !bar.finished {
            bar.title = title
        } else {
            // On a terminal an unfinished bar of the previous pass is overwritten in place. What was
            // done before the first report (a classifier's first epoch) is not timed, so it is `initial`.
            currentBar = ProgressBar(
                total: progress.totalEvents, label: progress.unit, title: title, isTerminal: isTerminal, width: 24,
                lineInterval: Self.slowUnits.contains(progress.unit) ? 0 : eventLineInterval,
                initial: progress.completedEvents)
            barKey = key
        }
        currentBar?.update(progress.completedEvents)
    }

    /// Ends an open line, so that the next message starts on its own line.
    func finish() {
        currentBar?.close()
        currentBar = nil
    }
}
