import ArgumentParser
import CaloEval

/// One `--metrics` value: a comma-separated list of metric names, `all` selecting every metric.
/// The option may be repeated; ``MetricList/selection(of:)`` joins the values.
struct MetricList: Equatable, ExpressibleByArgument {
    /// The metrics this value names, in `Metric.allCases` order.
    let selection: MetricSelection

    /// Every metric (`--metrics all`).
    static let all = MetricList(selection: .all)

    init(selection: MetricSelection) {
        self.selection = selection
    }

    /// Parses a list such as `hist,pcc,w1`; names are case-insensitive and may carry spaces.
    ///
    /// - Throws: `EvaluationError.unknownMetric` naming the first unknown name (the option's
    ///   transform, so ArgumentParser reports it as a parse error of `--metrics`), or
    ///   `EvaluationError.invalidArgument` when the list names nothing.
    init(parsing text: String) throws {
        selection = try MetricSelection(parsing: [text])
    }

    init?(argument: String) {
        guard let parsed = try? MetricList(parsing: argument) else { return nil }
        self = parsed
    }

    static var allValueStrings: [String] { Metric.selectionNames }

    var defaultValueDescription: String {
        selection == .all ? "all" : selection.metrics.map(\.rawValue).joined(separator: ",")
    }

    /// The union of repeated `--metrics` values.
    static func selection(of lists: [MetricList]) -> MetricSelection {
        MetricSelection(lists.flatMap(\.selection.metrics))
    }
}
