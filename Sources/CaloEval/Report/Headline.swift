import Foundation

/// The numbers a physicist quotes first for one generated file, read off an ``EvaluationResult``:
/// the classifier AUCs, FPD, KPD, the mean and largest separation power, the E_tot/E_inc separation
/// power and PRDC, each next to the reference floor (reference2 scored like a generated file) and
/// the ratio to it, plus a one-line reading. summary.md and report.html open with it.
public struct Headline: Sendable, Equatable {
    /// One quantity of the table.
    public struct Row: Sendable, Equatable {
        /// What the row shows ("AUC, voxels (cls-low)").
        public var quantity: String
        /// The generated file's value; nil when the metric did not run or the value is undefined.
        public var value: Score?
        /// The reference floor; nil without reference2 or when undefined.
        public var floor: Score?
        /// "not run", or "failed: reason", when the metric gave no number.
        public var status: String?

        /// value / floor, when both are defined and the floor is not 0.
        public var ratio: Double? {
            guard let value = value?.value, let floor = floor?.value, floor != 0 else { return nil }
            return value / floor
        }
    }

    /// The generated file's label.
    public var label: String
    /// One row per ``HeadlineQuantity/all`` entry, in that order.
    public var rows: [Row]
    /// One sentence: how the separation powers compare with the floor, and the classifiers' verdict.
    public var reading: String

    /// The table as shown in summary.md and report.html: quantity, value, reference floor, ratio.
    public var table: SummaryTable {
        SummaryTable(
            headers: ["quantity", label, "reference floor", "ratio to floor"],
            rows: rows.map { row in
                let ratio = row.ratio.map { SummaryTable.Cell.formatted(String(format: "%.3g×", $0)) } ?? .formatted("—")
                guard row.status == nil else { return [.text(row.quantity), .text(row.status ?? ""), .formatted("—"), .formatted("—")] }
                return [
                    .text(row.quantity), .formatted(EvaluationResult.formatted(row.value)),
                    .formatted(EvaluationResult.formatted(row.floor)), ratio,
                ]
            })
    }
}

/// One headline quantity: which metric's report holds it and how to read it off. New metrics join
/// the headline by a line in ``all``; a metric missing from a result (an older metrics.json) reads
/// "not run".
struct HeadlineQuantity: Sendable {
    enum Source: Sendable {
        /// The score of one observable of the metric.
        case observable(String)
        /// The mean, or the largest, separation power over the histograms evaluate.py computes.
        case histogramMean, histogramMaximum
    }

    var quantity: String
    /// ``Metric`` raw value.
    var metric: String
    var source: Source

    static let all: [HeadlineQuantity] = [
        HeadlineQuantity(quantity: "AUC, voxels (cls-low)", metric: Metric.clsLow.rawValue, source: .observable("auc")),
        HeadlineQuantity(quantity: "AUC, high-level features (cls-high)", metric: Metric.clsHigh.rawValue, source: .observable("auc")),
        HeadlineQuantity(quantity: "AUC, ResNet on voxels (cls-resnet)", metric: Metric.clsResNet.rawValue, source: .observable("auc")),
        HeadlineQuantity(quantity: "AUC, voxels / layer energy (cls-low-normed)", metric: Metric.clsLowNormed.rawValue, source: .observable("auc")),
        HeadlineQuantity(quantity: "FPD × 10³", metric: Metric.fpd.rawValue, source: .observable("value")),
        HeadlineQuantity(quantity: "KPD × 10³", metric: Metric.kpd.rawValue, source: .observable("value")),
        HeadlineQuantity(quantity: "separation power, mean", metric: Metric.hist.rawValue, source: .histogramMean),
        HeadlineQuantity(quantity: "separation power, largest", metric: Metric.hist.rawValue, source: .histogramMaximum),
        HeadlineQuantity(quantity: "separation power, E_tot / E_inc", metric: Metric.hist.rawValue, source: .observable("E_ratio")),
        HeadlineQuantity(quantity: "PRDC precision", metric: Metric.prdc.rawValue, source: .observable("precision")),
        HeadlineQuantity(quantity: "PRDC recall", metric: Metric.prdc.rawValue, source: .observable("recall")),
        HeadlineQuantity(quantity: "PRDC density", metric: Metric.prdc.rawValue, source: .observable("density")),
        HeadlineQuantity(quantity: "PRDC coverage", metric: Metric.prdc.rawValue, source: .observable("coverage")),
    ]

    /// The row for the generated file `label`.
    func row(in result: EvaluationResult, label: String) -> Headline.Row {
        guard let report = result.metrics[metric], report.status == .ok else {
            // A failure says why; "not run" does not repeat the full table's reason (usually "not requested").
            let report = result.metrics[metric]
            let status = report?.status == .failed ? "failed" + (report?.reason.map { ": \($0)" } ?? "") : "not run"
            return Headline.Row(quantity: quantity, status: status)
        }
        switch source {
        case .observable(let key):
            let observable = report.observables[key]
            return Headline.Row(quantity: quantity, value: observable?.scores[label], floor: observable?.floor)
        case .histogramMean, .histogramMaximum:
            let histograms = result.officialHistograms
            let summarise: ([Double]) -> Double? = {
                guard !$0.isEmpty else { return nil }
                return self.isMean ? $0.reduce(0, +) / Double($0.count) : $0.max()
            }
            let values = histograms.compactMap { $0.scores[label]?.value }
            let floors = histograms.compactMap { $0.floor?.value }
            var name = quantity + " of \(values.count) histograms"
            if !isMean, let worst = histograms.max(by: { ($0.scores[label]?.value ?? -1) < ($1.scores[label]?.value ?? -1) }) {
                name = quantity + " (\(worst.label))"
            }
            return Headline.Row(
                quantity: name, value: summarise(values).map { Score($0) },
                floor: result.inputs.reference2 == nil ? nil : summarise(floors).map { Score($0) })
        }
    }

    private var isMean: Bool {
        if case .histogramMean = source { return true }
        return false
    }
}

extension EvaluationResult {
    /// The headline of every generated file, in input order.
    public var headlines: [Headline] {
        inputs.generated.map { headline(for: $0.label) }
    }

    /// The headline of the generated file `label`.
    public func headline(for label: String) -> Headline {
        Headline(label: label, rows: HeadlineQuantity.all.map { $0.row(in: self, label: label) }, reading: reading(for: label))
    }

    /// The histograms evaluate.py computes (not its uncalled helpers), in display order.
    var officialHistograms: [ObservableReport] {
        guard let report = self[.hist], report.status == .ok else { return [] }
        return report.order.compactMap { report.observables[$0] }.filter { $0.official ?? false }
    }

    /// One sentence on the separation powers against the floor, then the highest classifier AUC.
    func reading(for label: String) -> String {
        var parts: [String] = []
        let histograms = officialHistograms
        if histograms.isEmpty {
            parts.append("no separation powers (hist not run)")
        } else if inputs.reference2 == nil {
            let values = histograms.compactMap { $0.scores[label]?.value }
            parts.append("no reference floor (pass --reference2 for one); separation power below 0.01 on \(values.filter { $0 < 0.01 }.count) of \(histograms.count) histograms")
        } else {
            let pairs = histograms.compactMap { h in h.scores[label]?.value.flatMap { v in h.floor?.value.map { (v, $0) } } }
            let within = pairs.filter { $0.0 <= 2 * $0.1 }.count
            var text = "within 2× of the floor on \(within) of \(histograms.count) histograms"
            if pairs.count < histograms.count { text += " (\(histograms.count - pairs.count) undefined)" }
            parts.append(text)
        }
        let classifiers = HeadlineQuantity.all.filter {
            if case .observable("auc") = $0.source { return true }
            return false
        }
        let aucs = classifiers.compactMap { quantity -> (String, Double, Double?)? in
            guard let report = metrics[quantity.metric], report.status == .ok, let auc = report.observables["auc"],
                let value = auc.scores[label]?.value
            else { return nil }
            return (quantity.metric, value, auc.floor?.value)
        }
        if let highest = aucs.max(by: { $0.1 < $1.1 }) {
            let floor = highest.2.map { String(format: ", floor %.3f", $0) } ?? ""
            parts.append(String(format: "the classifiers tell it from the reference with AUC up to %.3f (%@%@)", highest.1, highest.0, floor))
        } else {
            parts.append("no classifier ran")
        }
        let sentence = parts.joined(separator: "; ") + "."
        return sentence.prefix(1).uppercased() + sentence.dropFirst()
    }
}
