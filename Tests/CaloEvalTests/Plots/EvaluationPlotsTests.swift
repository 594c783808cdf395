import Figures
import Foundation
import Testing
import _TestSupport

@testable import CaloEval

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The evaluation figures built on the Figures engine: element counts, legends, the gallery as
/// well-formed, deterministic SVG, and the builders' helpers.
@Suite struct EvaluationPlotsTests {
    @Test func histogramFigureHasOneOutlinePerSeriesAndARatioPanel() throws {
        let figure = EvaluationPlots.histogram(
            edges: [0, 1, 2, 3], reference: HistogramSeries(label: "Geant4", values: [0.2, 0.5, 0.3], entryCount: 100),
            models: [
                HistogramSeries(label: "A", values: [0.3, 0.4, 0.3], separationPower: 0.01),
                HistogramSeries(label: "B", values: [0.1, 0.6, 0.3], separationPower: 2e-5),
            ], xTitle: "E_{tot} / E_{inc}")
        let document = try XMLSummary.parse(figure.svg())
        #expect(document.elements(class: "panel").count == 2)
        #expect(document.elements(class: "histogram").count == 3)
        #expect(document.elements(class: "band").count == 1)
        #expect(document.elements(class: "reference-line").count == 1)
        #expect(document.elements(class: "line").count == 2)
        let legend = document.elements(class: "legend-entry").map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(legend == ["Geant4", "A (S = 0.0100)", "B (S = 2.0×10−5)"])
        // The reference is filled, the models are outlines.
        let fills = document.elements(class: "histogram").map { $0.attributes["fill"] }
        #expect(fills == [Color.referenceFill.hexString, "none", "none"])
    }

    @Test func oddInputsDrawSomethingInsteadOfTrapping() {
        // Odd inputs to the builders draw something instead of trapping.
        let figure = EvaluationPlots.histogram(
            edges: [0, 1, 2], reference: HistogramSeries(label: "ref", values: [.nan, .infinity]),
            models: [HistogramSeries(label: "m", values: [0, 0], separationPower: -1e-9)], xTitle: "x", yScale: .log)
        #expect((try? XMLSummary.parse(figure.svg())) != nil)
        #expect(EvaluationPlots.separationPowerText(-1e-9) == "S = −0.0000")
    }

    @Test func heatMapHasOneCellPerValueAndAColourBar() throws {
        let figure = EvaluationPlots.correlation(
            layerIDs: [0, 1, 2, 3, 12], reference: identity(5), model: identity(5), referenceLabel: "Geant4", modelLabel: "Model")
        let document = try XMLSummary.parse(figure.svg())
        #expect(document.elements(class: "cell").count == 3 * 25)
        #expect(document.elements(class: "color-bar").count == 3)
        // ds1-sized matrices print their values.
        #expect(document.elements(class: "cell-value").count == 3 * 25)
        #expect(document.elements(name: "linearGradient").count == 3)
        // Layer ids label the axes.
        #expect(document.elements(class: "tick-label").map(\.text).contains("12"))
    }

    /// (angular bins, radial edges): a ds2 layer, a ds1 layer with one angular bin (rings), a small one.
    static let layerBinnings: [(Int, [Double])] = [
        (16, [0, 4.65, 9.3, 13.95, 18.6, 23.25, 27.9, 32.55, 37.2, 41.85]), (1, [0, 5, 10, 30, 50, 100, 200, 400, 600]),
        (10, [0, 2, 5, 10]),
    ]

    @Test(arguments: layerBinnings)
    func polarImageHasOnePathPerVoxel(angularBins: Int, radialEdges: [Double]) throws {
        let voxels = angularBins * (radialEdges.count - 1)
        let values = (0..<voxels).map { Double($0) }
        for style in [EvaluationPlots.ImageStyle.polar, .grid] {
            let figure = EvaluationPlots.showerImages(
                layerID: 3, radialEdges: radialEdges, angularBins: angularBins,
                images: [ImageSeries(label: "Geant4", values: values), ImageSeries(label: "Model", values: values.reversed())],
                style: style)
            let document = try XMLSummary.parse(figure.svg())
            #expect(document.elements(class: style == .polar ? "voxel" : "cell").count == 2 * voxels)
            #expect(document.elements(class: "color-bar").count == 1)
            #expect(document.elements(class: "panel-title").map(\.text) == ["Geant4", "Model"])
        }
    }

    @Test func outputIsDeterministic() {
        let first = PlotGallery.figures().map { $0.figure.svg() }
        let second = PlotGallery.figures().map { $0.figure.svg() }
        #expect(first == second)
        #expect(Set(first).count == first.count)
    }

    @Test func everyGalleryFigureIsWellFormedSVG() throws {
        let directory = ProcessInfo.processInfo.environment["CALOFORGE_PLOT_GALLERY"].map { URL(fileURLWithPath: $0) }
        if let directory { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        var saved: [ReportFigure] = []
        for (name, figure) in PlotGallery.figures() {
            let svg = figure.svg()
            let document = try XMLSummary.parse(svg)
            #expect(document.elements.first?.name == "svg", "\(name)")
            #expect(document.elements.first?.attributes["width"] == SVGText.number(figure.width), "\(name)")
            if let directory { saved.append(ReportFigure(try figure.save(in: directory, name: name), caption: name)) }
        }
        if let directory {
            let report = HTMLReport(
                title: "Plot gallery (synthetic numbers)", inputs: [ReportInput("source", "PlotGallery in PlotTests.swift")],
                summary: SummaryTable(
                    headers: ["figure", "file"], rows: saved.map { [.text($0.caption), .text("\($0.caption).svg")] }),
                sections: [ReportSection(title: "Figures", figures: saved)])
            try report.write(to: directory.appendingPathComponent("report.html"))
        }
    }

    @Test func binnedMeanAndSpreadOnAHandCase() {
        let result = EvaluationPlots.binnedMeanAndSpread(
            x: [1, 1.5, 2, 3, 9, 10, 11], y: [1, 3, 5, 7, 9, 11, 13], edges: [1, 2, 4, 10])
        #expect(result.count == [2, 2, 2])
        #expect(result.mean == [2, 6, 10])
        #expect(result.spread[0] == 2.squareRoot())
        let empty = EvaluationPlots.binnedMeanAndSpread(x: [1], y: [5], edges: [0, 2, 4])
        #expect(empty.mean[0] == 5 && empty.spread[0].isNaN && empty.mean[1].isNaN)
    }

    @Test func separationPowerLegendText() {
        #expect(EvaluationPlots.separationPowerText(0.01234) == "S = 0.0123")
        #expect(EvaluationPlots.separationPowerText(0) == "S = 0")
        #expect(EvaluationPlots.separationPowerText(4.56e-5) == "S = 4.6×10^{−5}")
        #expect(EvaluationPlots.separationPowerText(.nan) == "S = n/a")
    }

    func identity(_ n: Int) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { $0 == i ? 1 : 0 } }
    }
}
