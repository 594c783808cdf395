import Foundation
import Testing
import _TestSupport

@testable import CaloEval

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// report.html and the Markdown summary table.
@Suite struct ReportTests {
    static let summary = SummaryTable(
        headers: ["Metric", "CaloDiffusion", "CaloScore"],
        rows: [
            ["S(E_tot / E_inc)", 0.012345, 0.0456],
            [
                "FPD ×10³", .measurement(12.3456, uncertainty: 0.456, decimals: 2),
                .measurement(8.1, uncertainty: 0.25, decimals: 2),
            ],
            ["AUC (low-level)", .number(0.61234, decimals: 3), .number(.nan, decimals: 3)],
            ["events", 100_000, 100_000],
        ])

    func report(figures: [ReportFigure]) -> HTMLReport {
        HTMLReport(
            title: "CaloChallenge evaluation <ds2> & friends", subtitle: "caloforge 0.1",
            inputs: [ReportInput("reference", "/data/dataset_2_2.hdf5"), ReportInput("submission", "samples & co.hdf5")],
            summary: Self.summary,
            sections: [
                ReportSection(title: "Energy", text: "Total energy response.", figures: Array(figures.prefix(2))),
                ReportSection(title: "Shower shapes", figures: Array(figures.dropFirst(2))),
            ])
    }

    @Test func reportIsWellFormedAndListsEveryFigure() throws {
        let figures = [
            ReportFigure(source: .file("etot_einc.svg"), caption: "E_tot / E_inc", width: 640),
            ReportFigure(source: .file("e layer 12.svg"), caption: "E in layer <12>"),
            ReportFigure(inline: PlotGallery.figures()[2].figure, caption: "inline profile"),
            ReportFigure(inline: PlotGallery.figures()[3].figure, caption: "another inline profile"),
        ]
        let html = report(figures: figures).html()
        let document = try XMLSummary.parse(html)
        #expect(document.elements(name: "title").map(\.text) == ["CaloChallenge evaluation <ds2> & friends"])
        #expect(document.elements(name: "img").map { $0.attributes["src"] } == ["etot_einc.svg", "e%20layer%2012.svg"])
        #expect(document.elements(name: "figure").count == 4)
        #expect(document.elements(name: "figcaption").map(\.text) == figures.map(\.caption))
        #expect(document.elements(name: "svg").count == 2)
        // Inlined figures get their own clip-path ids, so they do not clash in one page.
        let ids = document.elements(name: "clipPath").compactMap { $0.attributes["id"] }
        #expect(Set(ids).count == ids.count && !ids.isEmpty)
        // Sections, navigation, inputs and the summary table.
        #expect(document.elements(name: "h2").map(\.text) == ["Inputs", "Summary", "Energy", "Shower shapes"])
        #expect(document.elements(name: "a").compactMap { $0.attributes["href"] }.prefix(2) == ["#section-1", "#section-2"])
        #expect(document.elements(name: "dd").map(\.text) == ["/data/dataset_2_2.hdf5", "samples & co.hdf5"])
        #expect(document.elements(name: "td").map(\.text).contains("12.35 ± 0.46"))
        #expect(document.elements(name: "style").count == 1)
        #expect(report(figures: figures).figures.count == 4)
    }

    @Test func reportIsDeterministic() {
        let figures = [ReportFigure(inline: PlotGallery.figures()[0].figure, caption: "a")]
        #expect(report(figures: figures).html() == report(figures: figures).html())
    }

    @Test func reportWritesAtomicallyAndReplacesAnOldOne() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let saved = try PlotGallery.figures()[0].figure.save(in: directory, name: "etot_einc", png: .never)
        let url = directory.appendingPathComponent("report.html")
        try Data("old".utf8).write(to: url)
        let report = report(figures: [ReportFigure(saved, caption: "E_tot / E_inc")])
        try report.write(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == report.html())
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["etot_einc.svg", "report.html"])
        let document = try XMLSummary.parse(report.html())
        #expect(document.elements(name: "img").map { $0.attributes["src"] } == ["etot_einc.svg"])
        #expect(document.elements(name: "figure").first?.attributes["style"] == "max-width: 640px")
    }

    @Test func reportIntoAMissingDirectoryNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent-caloforge-dir/report.html")
        #expect {
            try HTMLReport(title: "t").write(to: url)
        } throws: { error in
            guard case .cannotWrite(let path, _)? = error as? EvaluationError else { return false }
            return path == url.path && (error as? EvaluationError)?.description.contains(url.path) == true
        }
    }

    @Test func markdownTableIsAlignedAndEscaped() {
        let table = SummaryTable(
            headers: ["Metric", "Model"],
            rows: [["S | E_tot", 0.012345], ["E_layer 0", 1.5], ["events", 100]])
        #expect(
            table.markdown() == """
                | Metric     |   Model |
                | ---------- | ------: |
                | S \\| E_tot | 0.01235 |
                | E_layer 0  |   1.500 |
                | events     |     100 |

                """)
    }

    @Test func summaryCellsFormatNumbers() {
        #expect(SummaryTable.Cell.number(0.012345, decimals: nil).text == "0.01235")
        #expect(SummaryTable.Cell.number(1234.4, decimals: nil).text == "1234")
        #expect(SummaryTable.Cell.number(1.5e-5, decimals: nil).text == "1.500e-05")
        #expect(SummaryTable.Cell.number(.nan, decimals: 2).text == "n/a")
        #expect(SummaryTable.Cell.measurement(12.3456, uncertainty: 0.456, decimals: 2).text == "12.35 ± 0.46")
        #expect(SummaryTable.Cell(integerLiteral: 7).text == "7")
        // A short row is padded.
        #expect(SummaryTable(headers: ["a", "b"], rows: [["x"]]).markdown().hasSuffix("| x   |     |\n"))
    }
}
