import Foundation

extension EvaluationResult {
    /// The header line evaluate.py writes at the top of `histogram_chi2_<ds>.txt`.
    static let chi2Header = "List of chi2 of the plotted histograms, see eq. 15 of 2009.03796 for its definition.\n"

    /// Names of the official-format separation-power files, by file label: `histogram_chi2_<ds>.txt`
    /// when there is one generated file (the name evaluate.py uses), `histogram_chi2_<ds>_<label>.txt`
    /// for each when there are several, and `histogram_chi2_<ds>_reference2.txt` for the floor.
    public var histogramChi2FileNames: [String: String] {
        guard self[.hist]?.status == .ok else { return [:] }
        var names: [String: String] = [:]
        let labels = inputs.generated.map(\.label)
        for label in labels {
            names[label] = labels.count == 1 ? "histogram_chi2_\(datasetCode).txt" : "histogram_chi2_\(datasetCode)_\(label).txt"
        }
        if inputs.reference2 != nil { names["reference2"] = "histogram_chi2_\(datasetCode)_reference2.txt" }
        return names
    }

    /// The separation powers of one file (a generated label, or `reference2`) in evaluate.py's
    /// `histogram_chi2_<ds>.txt` format: the header, then "label: \n" + value + "\n\n" for every
    /// histogram evaluate.py computes, in its order. Values are printed as Python prints a float
    /// (Swift's shortest round-trip form is the same text); undefined values print as `nan`.
    public func histogramChi2Text(for label: String) -> String? {
        guard let report = self[.hist], report.status == .ok else { return nil }
        var text = Self.chi2Header
        for key in report.order {
            guard let observable = report.observables[key], observable.official ?? false else { continue }
            let score = label == "reference2" ? observable.floor : observable.scores[label]
            let value = score?.value.map { "\($0)" } ?? "nan"
            text += "\(observable.label): \n\(value)\n\n"
        }
        return text
    }

    /// One row of the summary table: a metric's observable with a cell per generated file and the
    /// floor, or a metric that did not run with its status in place of the observable.
    struct SummaryRow {
        var metric: String
        /// "key: label", or "not run: reason" / "failed: reason".
        var observable: String
        /// Formatted scores, one per generated file then the floor; empty for a status row.
        var cells: [String]
    }

    /// The rows of the summary table, shared by summary.md and report.html so both show the same
    /// numbers (4 significant digits, "value ± uncertainty" where there is one, "—" when undefined).
    var summaryRows: [SummaryRow] {
        let labels = inputs.generated.map(\.label)
        var rows: [SummaryRow] = []
        for metric in Metric.allCases {
            guard let report = self[metric] else { continue }
            guard report.status == .ok else {
                let status = report.status == .failed ? "failed" : "not run"
                rows.append(SummaryRow(metric: metric.rawValue, observable: "\(status): \(report.reason ?? "")", cells: []))
                continue
            }
            for key in report.order {
                guard let observable = report.observables[key] else { continue }
                let cell = key == "jsd" ? Self.formattedDivergence : Self.formatted
                var name = "\(key): \(observable.label)"
                if observable.official == false { name += " (helper not called by evaluate.py)" }
                rows.append(
                    SummaryRow(
                        metric: metric.rawValue, observable: name,
                        cells: labels.map { cell(observable.scores[$0]) } + [cell(observable.floor)]))
                for part in observable.componentOrder ?? [] {
                    guard let component = observable.components?[part] else { continue }
                    rows.append(
                        SummaryRow(
                            metric: metric.rawValue, observable: "  \(part): \(component.label)",
                            cells: labels.map { cell(component.scores[$0]) } + [cell(component.floor)]))
                }
            }
        }
        return rows
    }

    /// A score as the summary and the headline show it: 4 significant digits, "value ± uncertainty"
    /// where there is one, "—" when undefined.
    static func formatted(_ score: Score?) -> String {
        guard let score, let value = score.value else { return "—" }
        if let uncertainty = score.uncertainty {
            // A spread at rounding level (identical repetitions, e.g. a subsample that is the whole file) reads as 0.
            let shown = uncertainty <= 1e-12 * Swift.max(abs(value), 1e-300) ? 0 : uncertainty
            return String(format: "%.4g ± %.2g", value, shown)
        }
        return String(format: "%.4g", value)
    }

    /// A classifier's JSD estimate (ln 2 − BCE) / ln 2 (spec/calochallenge.md §5.4): a divergence is
    /// never negative, but the estimate is when the classifier's validation loss is above ln 2 (worse
    /// than chance), so a negative estimate shows as 0 followed by the estimate itself.
    static func formattedDivergence(_ score: Score?) -> String {
        guard let value = score?.value, value < 0 else { return formatted(score) }
        return "0 (estimate \(formatted(score)))"
    }

    /// What the metrics in the summary mean, in one paragraph.
    static let summaryExplanation =
        "What the metrics mean: hist — separation power, 0 identical … 1 disjoint; pcc — absolute differences of layer-energy correlations; w1 — W1 distance of standardised observables, mean ± std over subsamples. Lower is better for all three; values near the reference floor are as good as the statistics allow. JSD / ln 2 is estimated as (ln 2 − BCE) / ln 2 from the classifier's validation loss; when that loss is above ln 2 the estimate falls below 0, which a divergence cannot, and the table shows 0 with the estimate in parentheses."

    /// What the headline columns mean, in one paragraph.
    static let headlineExplanation =
        "The reference floor is reference2, an independent sample of the reference, scored like a generated file: the value statistics alone give. Ratio to floor = value / floor; ideal values are AUC 0.5, PRDC 1 and 0 for the rest, so a good model has ratios near 1."

    /// The headline of every generated file as Markdown: a table and its reading each.
    var headlineMarkdown: [String] {
        var lines: [String] = []
        for headline in headlines {
            lines += ["## Headline: \(headline.label)", "", headline.table.markdown(), "Reading: \(headline.reading)", ""]
        }
        lines.append(Self.headlineExplanation)
        return lines
    }

    /// The Markdown summary: the headline of every generated file (``headlines``), then one table with a
    /// row per metric and observable, a column per generated file and one for the reference floor;
    /// metrics that did not run say why. Warnings follow the table.
    public var summaryMarkdown: String {
        let labels = inputs.generated.map(\.label)
        var lines = [
            "# Evaluation: \(geometry) (dataset \(datasetCode))",
            "",
            "Reference `\(inputs.reference.path)` (\(inputs.reference.events) events)"
                + (inputs.reference2.map { "; floor from `\($0.path)` (\($0.events) events)" } ?? "; no --reference2, so no floor")
                + "; threshold \(thresholdMeV) MeV; seed \(seed)"
                + (software["caloforge"].map { "; caloforge \($0)" } ?? "") + ".",
            "",
        ]
        lines += headlineMarkdown
        lines += [
            "",
            "## All metrics",
            "",
            "| metric | observable | " + labels.joined(separator: " | ") + " | reference floor |",
            "|---|---|" + String(repeating: "---|", count: labels.count + 1),
        ]
        func escaped(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        for row in summaryRows {
            if row.cells.isEmpty {
                let filler = String(repeating: " |", count: labels.count + 1)
                lines.append("| \(row.metric) | \(escaped(row.observable)) |" + filler)
            } else {
                lines.append("| \(row.metric) | \(escaped(row.observable)) | " + row.cells.joined(separator: " | ") + " |")
            }
        }
        lines.append("")
        lines.append(Self.summaryExplanation)
        if !warnings.isEmpty {
            lines.append("")
            lines.append("Warnings:")
            lines += warnings.map { "- \($0)" }
        }
        if let timings = timingsSeconds, !timings.isEmpty {
            let order = ["reading"] + timings.keys.filter { $0 != "reading" }.sorted()
            let parts = order.compactMap { key in timings[key].map { String(format: "%@ %.1f s", key, $0) } }
            lines.append("")
            let resumed = (segments ?? 1) > 1 ? " (resumed: \(segments ?? 1) segments; times add up the segments)" : ""
            lines.append("Time: " + parts.joined(separator: ", ") + "." + resumed)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary.md table for report.html: metric, observable, one column per generated file and
    /// the reference floor, with the same formatted numbers.
    public var summaryTable: SummaryTable {
        let labels = inputs.generated.map(\.label)
        return SummaryTable(
            headers: ["metric", "observable"] + labels + ["reference floor"],
            rows: summaryRows.map { row in
                [.text(row.metric), .text(row.observable)] + row.cells.map { SummaryTable.Cell.formatted($0) }
            })
    }

    /// The metrics.json bytes: pretty-printed with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Writes metrics.json, summary.md and the histogram_chi2 files into `directory` (created when
    /// missing). Each file is written to a temporary name in the same folder and renamed into place,
    /// so a reader never sees half a file and an interrupted run leaves the previous file intact.
    ///
    /// - Returns: the names of the files written.
    /// - Throws: ``EvaluationError/cannotWrite(path:reason:)``.
    @discardableResult
    public func write(to directory: URL) throws -> [String] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw EvaluationError.cannotWrite(path: directory.path, reason: error.localizedDescription)
        }
        var files: [(String, Data)] = [("metrics.json", try jsonData()), ("summary.md", Data(summaryMarkdown.utf8))]
        for (label, name) in histogramChi2FileNames.sorted(by: { $0.value < $1.value }) {
            if let text = histogramChi2Text(for: label) { files.append((name, Data(text.utf8))) }
        }
        for (name, data) in files {
            try Self.writeAtomically(data, to: directory.appendingPathComponent(name))
        }
        return files.map(\.0)
    }

    static func writeAtomically(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw EvaluationError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw EvaluationError.cannotWrite(path: url.path, reason: reason)
        }
    }
}
