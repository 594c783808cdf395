import Foundation
import Testing
import _TestSupport

@testable import CaloEval

/// The headline that opens summary.md and report.html, on a hand-built result: metrics that ran,
/// did not run, failed or do not exist; with and without a reference floor; a negative JSD estimate.
@Suite struct HeadlineTests {
    static func input(_ role: EvaluationInput.Role, _ label: String) -> EvaluationInput {
        EvaluationInput(role: role, label: label, path: "/data/\(label).h5", events: 1000, isComplete: true)
    }

    static func observable(_ label: String, official: Bool? = nil, _ value: Double, floor: Double?, uncertainty: Double? = nil) -> ObservableReport {
        ObservableReport(
            label: label, official: official, scores: ["model": Score(value, uncertainty: uncertainty)],
            floor: floor.map { Score($0, uncertainty: uncertainty.map { $0 / 2 }) })
    }

    /// hist over four official histograms and one helper, cls-low with a negative floor JSD, fpd; cls-high
    /// not run, kpd failed, prdc and the classifiers this build may lack absent.
    static func result(withFloor: Bool = true) -> EvaluationResult {
        let floor: (Double) -> Double? = { withFloor ? $0 : nil }
        let histograms: [(String, ObservableReport)] = [
            ("E_ratio", observable("Etot / Einc", official: true, 0.02, floor: floor(0.01))),
            ("E_layer_0", observable("E layer 0", official: true, 0.3, floor: floor(0.01))),
            ("EC_eta_0", observable("EC Eta layer 0", official: true, 0.015, floor: floor(0.01))),
            ("Width_eta_0", observable("Width Eta layer 0", official: true, 0.005, floor: floor(0.004))),
            ("Sparsity_0", observable("Sparsity layer 0", official: false, 0.9, floor: floor(0.001))),
        ]
        let hist = MetricReport(
            status: .ok, explanation: "", order: histograms.map(\.0), observables: Dictionary(uniqueKeysWithValues: histograms))
        let classifier = MetricReport(
            status: .ok, explanation: "", order: ["auc", "jsd"],
            observables: [
                "auc": observable("AUC (calibrated)", 0.75, floor: floor(0.5)),
                "jsd": observable("JSD / ln 2", 0.3, floor: floor(-0.17)),
            ])
        let fpd = MetricReport(
            status: .ok, explanation: "", order: ["value"],
            observables: ["value": observable("FPD × 10³", 1.5, floor: floor(0.5), uncertainty: 0.2)])
        return EvaluationResult(
            createdAt: "2026-12-07T00:00:00Z", software: [:], geometry: "ds2", datasetCode: "2", thresholdMeV: 0.0151515,
            seed: 1, metricsRequested: ["hist", "cls-low", "fpd"],
            inputs: EvaluationResult.Inputs(
                reference: input(.reference, "reference"), reference2: withFloor ? input(.reference2, "reference2") : nil,
                generated: [input(.generated, "model")]),
            warnings: [],
            metrics: [
                "hist": hist, "cls-low": classifier, "fpd": fpd,
                "cls-high": .notRun(.clsHigh, reason: "not selected (--metrics)"),
                "kpd": MetricReport(status: .failed, reason: "the reference has 1 event", explanation: ""),
            ])
    }

    @Test func tableWithFloorAndRatios() {
        let headline = Self.result().headline(for: "model")
        #expect(
            headline.table.markdown() == """
                | quantity                                    | model                             | reference floor | ratio to floor |
                | ------------------------------------------- | --------------------------------- | --------------: | -------------: |
                | AUC, voxels (cls-low)                       | 0.75                              |             0.5 |           1.5× |
                | AUC, high-level features (cls-high)         | not run                           |               — |              — |
                | AUC, ResNet on voxels (cls-resnet)          | not run                           |               — |              — |
                | AUC, voxels / layer energy (cls-low-normed) | not run                           |               — |              — |
                | FPD × 10³                                   | 1.5 ± 0.2                         |       0.5 ± 0.1 |             3× |
                | KPD × 10³                                   | failed: the reference has 1 event |               — |              — |
                | separation power, mean of 4 histograms      | 0.085                             |          0.0085 |            10× |
                | separation power, largest (E layer 0)       | 0.3                               |            0.01 |            30× |
                | separation power, E_tot / E_inc             | 0.02                              |            0.01 |             2× |
                | PRDC precision                              | not run                           |               — |              — |
                | PRDC recall                                 | not run                           |               — |              — |
                | PRDC density                                | not run                           |               — |              — |
                | PRDC coverage                               | not run                           |               — |              — |

                """)
        #expect(headline.rows.first?.ratio == 1.5)
        #expect(
            headline.reading
                == "Within 2× of the floor on 3 of 4 histograms; the classifiers tell it from the reference with AUC up to 0.750 (cls-low, floor 0.500).")
    }

    @Test func withoutAFloorOnlyTheValues() {
        let headline = Self.result(withFloor: false).headline(for: "model")
        for row in headline.rows {
            #expect(row.floor == nil && row.ratio == nil, "\(row.quantity)")
        }
        #expect(headline.rows[0].value?.value == 0.75)
        let cells = headline.table.rows[0].map(\.text)
        #expect(cells == ["AUC, voxels (cls-low)", "0.75", "—", "—"])
        #expect(
            headline.reading
                == "No reference floor (pass --reference2 for one); separation power below 0.01 on 1 of 4 histograms; the classifiers tell it from the reference with AUC up to 0.750 (cls-low).")
    }

    @Test func summaryOpensWithTheHeadlineAndNeverShowsANegativeJSD() throws {
        let summary = Self.result().summaryMarkdown
        let headline = try #require(summary.range(of: "## Headline: model"))
        let full = try #require(summary.range(of: "## All metrics"))
        #expect(headline.lowerBound < full.lowerBound)
        #expect(summary.contains("Reading: Within 2× of the floor on 3 of 4 histograms"))
        // The floor's JSD estimate of −0.17 is not a divergence: 0, with the estimate beside it.
        let jsd = summary.split(separator: "\n").first { $0.hasPrefix("| cls-low | jsd:") }
        #expect(jsd == "| cls-low | jsd: JSD / ln 2 | 0.3 | 0 (estimate -0.17) |")
    }

    @Test func reportOpensWithTheHeadline() throws {
        let page = EvaluationReport(result: Self.result(), figureData: nil).htmlReport(figures: []).html()
        let document = try XMLSummary.parse(page)
        #expect(document.elements(name: "h2").map(\.text) == ["Headline: model", "Inputs", "Summary"])
        let cells = document.elements(name: "td").map(\.text)
        #expect(cells.starts(with: ["AUC, voxels (cls-low)", "0.75", "0.5", "1.5×"]))
        #expect(page.contains("<p class=\"reading\">Reading: Within 2× of the floor on 3 of 4 histograms;"))
    }
}
