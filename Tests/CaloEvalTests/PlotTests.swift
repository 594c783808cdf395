import Foundation
import Testing

@testable import CaloEval

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The SVG plotting library and the evaluation figures: ticks, mappings, well-formed and
/// deterministic SVG, escaping, element counts, PNG conversion through rsvg-convert.
@Suite struct PlotTests {
    // MARK: Ticks

    @Test func niceStepsOnHandCases() {
        #expect(Ticks.niceStep(span: 10, targetCount: 5) == 2)
        #expect(Ticks.niceStep(span: 1, targetCount: 4) == 0.25)
        #expect(Ticks.niceStep(span: 7, targetCount: 5) == 1)
        #expect(Ticks.niceStep(span: 100, targetCount: 2) == 50)
        #expect(Ticks.niceStep(span: 0.003, targetCount: 3) == 0.001)
        #expect(Ticks.niceStep(span: 60, targetCount: 6) == 10)
    }

    @Test func linearTicksAreNiceNumbersWithMatchingDecimals() {
        let integers = Ticks.linear(in: 0...10, targetCount: 5)
        #expect(integers.map(\.value) == [0, 2, 4, 6, 8, 10])
        #expect(integers.map { $0.label?.description } == ["0", "2", "4", "6", "8", "10"])

        let halves = Ticks.linear(in: -1...1, targetCount: 4)
        #expect(halves.map(\.value) == [-1, -0.5, 0, 0.5, 1])
        #expect(halves.map { $0.label?.description } == ["−1.0", "−0.5", "0.0", "0.5", "1.0"])

        // 3 × 0.1 is 0.30000000000000004 in binary; the label must not show it.
        let tenths = Ticks.linear(in: 0...0.3, targetCount: 3)
        #expect(tenths.map { $0.label?.description } == ["0.0", "0.1", "0.2", "0.3"])

        let quarters = Ticks.linear(in: 0.5...1.5, targetCount: 4)
        #expect(quarters.map { $0.label?.description } == ["0.50", "0.75", "1.00", "1.25", "1.50"])

        // The range need not start on a tick.
        #expect(Ticks.linear(in: 0.93...1.07, targetCount: 3).map(\.value) == [0.95, 1.0, 1.05])

        let large = Ticks.linear(in: 0...200_000, targetCount: 4)
        #expect(large.map { $0.label?.description } == ["0", "5×10^4", "10^5", "1.5×10^5", "2×10^5"])
    }

    @Test func logTicksAreDecadesWithMinorTicks() {
        let ticks = Ticks.log(in: 1...10_000)
        let major = ticks.filter(\.isMajor)
        #expect(major.map(\.value) == [1, 10, 100, 1000, 10_000])
        #expect(major.map { $0.label?.description } == ["10^0", "10^1", "10^2", "10^3", "10^4"])
        #expect(ticks.filter { !$0.isMajor }.count == 8 * 4)

        // Sub-unit decades print a minus sign in the exponent.
        let small = Ticks.log(in: 1e-3...1).filter(\.isMajor)
        #expect(small.map { $0.label?.description } == ["10^−3", "10^−2", "10^−1", "10^0"])

        // Many decades: every third is labelled, the others are unlabelled ticks, no minor ticks.
        let wide = Ticks.log(in: 1e-9...1e-3, maxLabels: 3)
        #expect(wide.count == 7)
        #expect(wide.filter(\.isMajor).map(\.value).map { (log10($0) * 1000).rounded() / 1000 } == [-9, -6, -3])

        // Less than two decades: 1-2-5 multiples.
        #expect(Ticks.log(in: 2...30).map(\.value) == [2, 5, 10, 20])
        #expect(Ticks.log(in: 2...30).map { $0.label?.description } == ["2", "5", "10", "20"])
        // Less than a decade: finer multiples.
        #expect(Ticks.log(in: 0.5...0.9).map { $0.label?.description } == ["0.5", "0.6", "0.7", "0.8", "0.9"])
    }

    @Test func degenerateRangesGiveFewTicksAndNoTrap() {
        #expect(Ticks.linear(in: 5...5).map(\.value) == [5])
        #expect(Ticks.linear(in: -Double.infinity...0).isEmpty)
        #expect(Ticks.log(in: 1...Double.infinity).isEmpty)
        #expect(Ticks.linear(in: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude).count <= 1)
        // Odd inputs to the builders draw something instead of trapping.
        let figure = EvaluationPlots.histogram(
            edges: [0, 1, 2], reference: HistogramSeries(label: "ref", values: [.nan, .infinity]),
            models: [HistogramSeries(label: "m", values: [0, 0], separationPower: -1e-9)], xTitle: "x", yScale: .log)
        #expect((try? XMLSummary.parse(figure.svg())) != nil)
        #expect(EvaluationPlots.separationPowerText(-1e-9) == "S = −0.0000")
    }

    // MARK: Mappings

    @Test func linearMappingAndInverse() {
        let x = ScaleMapping(scale: .linear, domain: 0...10, start: 100, end: 200)
        #expect(x.map(0) == 100)
        #expect(x.map(5) == 150)
        #expect(x.map(10) == 200)
        #expect(x.invert(175) == 7.5)
        // A y axis: pixels grow downwards.
        let y = ScaleMapping(scale: .linear, domain: -1...1, start: 300, end: 100)
        #expect(y.map(-1) == 300)
        #expect(y.map(0) == 200)
        #expect(y.map(1) == 100)
    }

    @Test func logMappingAndNonPositiveValues() {
        let x = ScaleMapping(scale: .log, domain: 1...1000, start: 0, end: 300)
        #expect(abs(x.map(10) - 100) < 1e-9)
        #expect(abs(x.map(100) - 200) < 1e-9)
        #expect(abs(x.invert(150) - pow(10, 1.5)) < 1e-9)
        #expect(x.map(0) == -.infinity)
        // Clamped: just outside the plot area, so clipping hides it.
        #expect(x.clampedMap(0) == -20)
        #expect(x.clampedMap(1e9) == 320)
        let y = ScaleMapping(scale: .log, domain: 1...100, start: 200, end: 0)
        #expect(y.clampedMap(-5) == 220)
    }

    // MARK: Text

    @Test func textIsEscapedAndNumbersAreDeterministic() {
        #expect(SVGText.escaped("a<b & c>\"d'") == "a&lt;b &amp; c&gt;&quot;d&#39;")
        #expect(SVGText.number(12.5) == "12.5")
        #expect(SVGText.number(3) == "3")
        #expect(SVGText.number(-0.001) == "0")
        #expect(SVGText.number(-2.046) == "-2.05")
        #expect(SVGText.number(0.07) == "0.07")
        #expect(SVGText.number(1234.1) == "1234.1")
        #expect(SVGText.number(.nan) == "0")
    }

    @Test func richTextParsesSubscriptsAndSuperscriptsOnlyInBraces() {
        let title = RichText("E_{dep} / E_{inc}")
        #expect(title.segments.map(\.text) == ["E", "dep", " / E", "inc"])
        #expect(title.segments.map(\.baseline) == [.normal, .sub, .normal, .sub])
        #expect(RichText("model_v2.svg").segments == [RichText.Segment(text: "model_v2.svg", baseline: .normal)])
        #expect(RichText("10^{3}").plain == "103")
    }

    @Test func escapedTextSurvivesAnXMLRoundTrip() throws {
        let title = "Title <b> & \"q\" 'a'"
        var panel = Panel(title: "<panel>", xAxis: Axis(title: "x <&> y"), yAxis: Axis(title: "a_{i} & b"))
        panel.add(.line(LineSeries(x: [0, 1], y: [0, 1], label: "model <A> & B")))
        let svg = Figure(title: title, panels: [panel]).svg()
        #expect(svg.contains("Title &lt;b&gt; &amp; &quot;q&quot; &#39;a&#39;"))
        #expect(!svg.contains("<b>"))
        let document = try XMLSummary.parse(svg)
        #expect(document.elements(class: "figure-title").map(\.text) == [title])
        #expect(document.elements(class: "panel-title").map(\.text) == ["<panel>"])
        #expect(document.elements(class: "axis-title").map(\.text) == ["x <&> y", "ai & b"])
        #expect(
            document.elements(class: "legend-entry").map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) } == [
                "model <A> & B"
            ])
    }

    // MARK: Figures

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

    @Test func tickLabelsOfAFixedRangePanel() throws {
        var panel = Panel(xAxis: Axis(title: "x", range: 0...10), yAxis: Axis(title: "y", range: 0...1))
        panel.add(.line(LineSeries(x: [0, 10], y: [0, 1])))
        let document = try XMLSummary.parse(Figure(panels: [panel]).svg())
        let labels = document.elements(class: "tick-label").map(\.text)
        for expected in ["0", "2", "4", "6", "8", "10", "0.0", "0.5", "1.0"] {
            #expect(labels.contains(expected), "missing tick label \(expected) in \(labels)")
        }
        #expect(Set(labels).count == labels.count, "no label is drawn twice: \(labels)")
    }

    @Test func logAxisLabelsUseSuperscriptExponents() throws {
        var panel = Panel(xAxis: Axis(scale: .log, range: 1...1000), yAxis: Axis(range: 0...1))
        panel.add(.line(LineSeries(x: [1, 1000], y: [0, 1])))
        let svg = Figure(panels: [panel]).svg()
        #expect(svg.contains("10<tspan dy=\"-4.95\" font-size=\"8.25\">2</tspan>"))
        _ = try XMLSummary.parse(svg)
    }

    @Test func markersAndErrorBars() throws {
        var panel = Panel()
        panel.add(.line(LineSeries(x: [1, 2, 3], y: [1, .nan, 3], yErrors: [0.1, 0.1, 0.1], marker: .circle)))
        panel.add(.line(LineSeries(x: [1, 2, 3], y: [2, 2, 2], drawsLine: false, marker: .square)))
        let document = try XMLSummary.parse(Figure(panels: [panel]).svg())
        // NaN points get no marker and break the line.
        #expect(document.elements(class: "marker").count == 2 + 3)
        let line = try #require(document.elements(class: "line").first?.attributes["d"])
        #expect(line.filter { $0 == "M" }.count == 2)
        #expect(document.elements(class: "errorbar").count == 1)
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

    @Test func colourScales() {
        #expect(ColorMap.viridis.color(at: 0) == Color(hex: 0x440154))
        #expect(ColorMap.viridis.color(at: 1) == Color(hex: 0xFDE725))
        #expect(ColorMap.diverging.color(at: 0.5) == Color(hex: 0xF7F7F7))
        let scale = ColorScale.logarithmic(values: [0, 1e-9, 1, 100], decades: 4)
        #expect(scale.range == 0.01...100)
        #expect(scale.color(for: 0) == .white)
        #expect(scale.color(for: 1e-9) == .white)
        #expect(scale.color(for: 100).hexString == "#fde725")
        #expect(scale.color(for: .nan) == .missing)
        #expect(Color(hex: 0xD55E00).hexString == "#d55e00")
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

    @Test func polarVoxelsSitAtTheirAngles() throws {
        // Two angular bins: bin 0 covers α ∈ [−π, 0), which is φ = r·sin α < 0, the lower half on
        // screen; bin 1 covers the upper half. Both are pie slices from the left to the right point.
        let image = PolarImage(radialEdges: [0, 1], angularBins: 2, values: [1, 2], colorScale: ColorScale(range: 0...2))
        let panel = Panel(items: [.polarImage(image)], showsAxes: false)
        let document = try XMLSummary.parse(Figure(width: 200, height: 200, panels: [panel]).svg())
        let paths = document.elements(class: "voxel").compactMap { $0.attributes["d"] }
        #expect(paths.count == 2)
        for (index, path) in paths.enumerated() {
            // "M cx cy L x1 y1 A r r 0 0 0 x2 y2 Z"
            let numbers = path.split(separator: " ").compactMap { Double($0.drop { $0.isLetter }) }
            try #require(numbers.count == 11, "\(path)")
            let (cx, cy, x1, y1, r, x2, y2) = (
                numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[9], numbers[10]
            )
            let sweep = numbers[8]
            #expect(y1 == cy && y2 == cy)
            #expect(abs(x1 - (index == 0 ? cx - r : cx + r)) < 0.02)
            #expect(abs(x2 - (index == 0 ? cx + r : cx - r)) < 0.02)
            // Sweep flag 0 runs anticlockwise on screen (y down): from the left point through the
            // bottom for bin 0, from the right point through the top for bin 1.
            #expect(sweep == 0)
        }
        let fills = document.elements(class: "voxel").compactMap { $0.attributes["fill"] }
        #expect(fills == [ColorMap.viridis.color(at: 0.5).hexString, ColorMap.viridis.color(at: 1).hexString])
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

    // MARK: Helpers in the builders

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

    @Test func legendHeadroomKeepsDataBelowTheLegend() {
        var panel = Panel()
        panel.add(.histogram(StepHistogram(edges: [0, 1, 2], values: [10, 4], label: "ref")))
        // Only the first bin reaches under a legend spanning x ∈ [0, 0.5].
        let grown = DataExtent.headroom(for: panel, domain: 0...10, scale: .linear, xSpan: 0...0.5, freeFraction: 0.25)
        #expect(abs(grown.upperBound - 10 / 0.75) < 1e-9)
        let unchanged = DataExtent.headroom(for: panel, domain: 0...10, scale: .linear, xSpan: 1.5...2, freeFraction: 0.25)
        #expect(unchanged == 0...10)
        // Log axis: the same fraction in decades.
        let log = DataExtent.headroom(for: panel, domain: 1...10, scale: .log, xSpan: 0...0.5, freeFraction: 0.5)
        #expect(abs(log10(log.upperBound) - 2) < 1e-9)
    }

    // MARK: Files and PNG

    static var hasRasterizer: Bool { SVGRasterizer().isAvailable }

    @Test(.enabled(if: hasRasterizer, "rsvg-convert is not installed (apt-get install librsvg2-bin)"))
    func pngConversionWritesAPNG() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let saved = try PlotGallery.figures()[0].figure.save(
            in: directory, name: "histogram", png: .required, rasterizer: SVGRasterizer(zoom: 1))
        let png = try #require(saved.png)
        let bytes = try Data(contentsOf: png)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(FileManager.default.fileExists(atPath: saved.svg.path))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["histogram.png", "histogram.svg"])
    }

    @Test(.enabled(if: hasRasterizer, "rsvg-convert is not installed (apt-get install librsvg2-bin)"))
    func invalidSVGReportsTheToolsError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("broken.svg")
        try Data("<svg".utf8).write(to: svg)
        #expect {
            try SVGRasterizer().convert(svg: svg, to: directory.appendingPathComponent("broken.png"))
        } throws: { error in
            guard case .rasterizerFailed(_, let status, let input, _)? = error as? EvaluationError else { return false }
            return status != 0 && input == svg.path
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("broken.png").path))
    }

    @Test func missingRasterizerGivesAnInstallHint() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = SVGRasterizer(executable: "rsvg-convert-not-installed-caloforge")
        #expect(!missing.isAvailable)
        #expect(!SVGRasterizer(executable: "/nonexistent/rsvg-convert").isAvailable)
        let figure = PlotGallery.figures()[0].figure

        // Required PNG: a clear error; the SVG is still written first.
        var thrown: EvaluationError?
        do {
            try figure.save(in: directory, name: "required", png: .required, rasterizer: missing)
        } catch let error as EvaluationError {
            thrown = error
        }
        #expect(thrown == .rasterizerMissing(executable: "rsvg-convert-not-installed-caloforge"))
        let message = try #require(thrown?.description)
        #expect(message.contains("install librsvg2-bin"))
        #expect(message.contains("scripts/bootstrap"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("required.svg").path))

        // PNG if available: SVG only, and the reason.
        let saved = try figure.save(in: directory, name: "optional", png: .ifAvailable, rasterizer: missing)
        #expect(saved.png == nil)
        #expect(saved.pngSkipped == message)
        #expect(FileManager.default.fileExists(atPath: saved.svg.path))
    }

    @Test func writingIntoAMissingDirectoryNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent-caloforge-dir/figure.svg")
        #expect {
            try PlotGallery.figures()[0].figure.writeSVG(to: url)
        } throws: { error in
            guard case .cannotWrite(let path, _)? = error as? EvaluationError else { return false }
            return path == url.path
        }
    }

    func identity(_ n: Int) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { $0 == i ? 1 : 0 } }
    }
}

/// A fresh directory under the system temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("caloeval-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Every element of an XML document with its attributes and full text content; parsing fails on
/// malformed XML.
final class XMLSummary: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []

    static func parse(_ text: String) throws -> XMLSummary {
        let parser = XMLParser(data: Data(text.utf8))
        let summary = XMLSummary()
        parser.delegate = summary
        guard parser.parse() else {
            throw parser.parserError
                ?? NSError(domain: "XMLSummary", code: 1, userInfo: [NSLocalizedDescriptionKey: "malformed XML"])
        }
        return summary
    }

    func elements(class name: String) -> [Element] {
        elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(name)) }
    }

    func elements(name: String) -> [Element] { elements.filter { $0.name == name } }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(Element(name: elementName, attributes: attributes, text: ""))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for index in open { elements[index].text += string }
    }
}

/// Every plot type drawn from synthetic numbers (fixed seed), for the tests and for looking at:
/// `CALOFORGE_PLOT_GALLERY=/tmp/plots swift test --filter PlotTests` writes them as SVG and PNG.
enum PlotGallery {
    /// A small deterministic generator (SplitMix64) and Gaussian draws (Box–Muller).
    struct Random {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

        mutating func normal(_ mean: Double = 0, _ sd: Double = 1) -> Double {
            let u = Swift.max(uniform(), 1e-300)
            return mean + sd * (-2 * log(u)).squareRoot() * cos(2 * Double.pi * uniform())
        }
    }

    static func linspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }
    }

    static func logspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        linspace(log10(a), log10(b), n).map { pow(10, $0) }
    }

    /// numpy-style density histogram over the in-range entries.
    static func density(_ values: [Double], edges: [Double]) -> (density: [Double], entries: Int) {
        var counts = [Double](repeating: 0, count: edges.count - 1)
        var entries = 0
        for value in values where value >= edges[0] && value <= edges[edges.count - 1] {
            var bin = edges.lastIndex { $0 <= value } ?? 0
            bin = Swift.min(bin, counts.count - 1)
            counts[bin] += 1
            entries += 1
        }
        let density = counts.indices.map { entries > 0 ? counts[$0] / (Double(entries) * (edges[$0 + 1] - edges[$0])) : .nan }
        return (density, entries)
    }

    static func separationPower(_ a: [Double], _ b: [Double], edges: [Double]) -> Double {
        var sum = 0.0
        for index in a.indices {
            let width = edges[index + 1] - edges[index]
            let p = a[index] * width
            let q = b[index] * width
            sum += (p - q) * (p - q) / (p + q + 1e-16)
        }
        return sum / 2
    }

    static func histogramSeries(_ label: String, _ values: [Double], edges: [Double], reference: [Double]?) -> HistogramSeries {
        let (density, entries) = Self.density(values, edges: edges)
        return HistogramSeries(
            label: label, values: density, entryCount: entries,
            separationPower: reference.map { separationPower($0, density, edges: edges) })
    }

    /// Mean energy per voxel of a synthetic shower layer: exponential in r, a little anisotropic.
    static func layerImage(edges: [Double], angularBins: Int, scale: Double, total: Double, anisotropy: Double) -> [Double] {
        let centres = (0..<(edges.count - 1)).map { (edges[$0] + edges[$0 + 1]) / 2 }
        var values: [Double] = []
        for alpha in 0..<angularBins {
            let angle = -Double.pi + (Double(alpha) + 0.5) * 2 * Double.pi / Double(angularBins)
            for (index, r) in centres.enumerated() {
                let area = (edges[index + 1] * edges[index + 1] - edges[index] * edges[index]) / Double(angularBins)
                values.append(total * exp(-r / scale) * (1 + anisotropy * cos(angle)) * area / (scale * scale))
            }
        }
        return values
    }

    static let ds2Edges: [Double] = [0, 4.65, 9.3, 13.95, 18.6, 23.25, 27.9, 32.55, 37.2, 41.85]
    static let photonLayer2Edges: [Double] = [
        0, 2, 5, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 130, 160, 200, 250, 300, 350, 400,
    ]

    /// (file name, figure) for every plot type.
    static func figures() -> [(name: String, figure: Figure)] {
        var random = Random(state: 42)
        var result: [(String, Figure)] = []

        // E_tot / E_inc, spec §4.5 binning lin(0.5, 1.5, 101).
        let ratioEdges = linspace(0.5, 1.5, 101)
        let reference = (0..<20000).map { _ in random.normal(1.0, 0.05) }
        let modelA = (0..<20000).map { _ in random.normal(1.01, 0.055) }
        let modelB = (0..<20000).map { _ in random.normal(0.985, 0.045) }
        let referenceSeries = histogramSeries("Geant4", reference, edges: ratioEdges, reference: nil)
        result.append(
            (
                "etot_einc",
                EvaluationPlots.histogram(
                    edges: ratioEdges, reference: referenceSeries,
                    models: [
                        histogramSeries("CaloDiffusion", modelA, edges: ratioEdges, reference: referenceSeries.values),
                        histogramSeries("CaloScore v2", modelB, edges: ratioEdges, reference: referenceSeries.values),
                    ], xTitle: "E_{tot} / E_{inc}", title: "Dataset 2: total energy response")
            ))

        // E_layer on log x and log y, log(threshold, max, 40).
        let layerReference = (0..<20000).map { _ in exp(random.normal(6, 1.3)) }
        let layerModel = (0..<20000).map { _ in exp(random.normal(6.1, 1.2)) }
        let layerEdges = logspace(0.0151515, layerReference.max() ?? 1e4, 40)
        let layerSeries = histogramSeries("Geant4", layerReference, edges: layerEdges, reference: nil)
        result.append(
            (
                "e_layer_12",
                EvaluationPlots.histogram(
                    edges: layerEdges, reference: layerSeries,
                    models: [histogramSeries("CaloDiffusion", layerModel, edges: layerEdges, reference: layerSeries.values)],
                    xTitle: "E_{layer 12} [MeV]", title: "Energy in layer 12", xScale: .log, yScale: .log)
            ))

        // Longitudinal profiles: ds1 photons (5 layers) and ds2 (45 layers).
        let photonIDs = [0, 1, 2, 3, 12]
        let photonMeans = [120.0, 3400, 12000, 450, 8]
        result.append(
            (
                "longitudinal_ds1",
                EvaluationPlots.longitudinalProfile(
                    layerIDs: photonIDs, reference: HistogramSeries(label: "Geant4", values: photonMeans),
                    models: [
                        HistogramSeries(
                            label: "CaloDiffusion",
                            values: photonMeans.enumerated().map { $0.element * (1 + 0.05 * Double($0.offset - 2)) }),
                        HistogramSeries(label: "CaloScore", values: photonMeans.map { $0 * 0.93 }),
                    ], title: "Dataset 1 (photons): mean energy per layer")
            ))
        let ds2Means = (0..<45).map { layer -> Double in
            let t = Double(layer) / 6
            return 5000 * pow(t + 0.2, 2.5) * exp(-t) + 1
        }
        result.append(
            (
                "longitudinal_ds2",
                EvaluationPlots.longitudinalProfile(
                    layerIDs: Array(0..<45), reference: HistogramSeries(label: "Geant4", values: ds2Means),
                    models: [
                        HistogramSeries(
                            label: "CaloDiffusion",
                            values: ds2Means.enumerated().map { $0.element * (1 + 0.004 * Double($0.offset)) })
                    ],
                    title: "Dataset 2: mean energy per layer")
            ))

        // Radial profile over ds2 radial edges.
        let radialMeans = ds2Edges.indices.dropLast().map { 800 * exp(-ds2Edges[$0] / 6) + 0.5 }
        result.append(
            (
                "radial_ds2",
                EvaluationPlots.radialProfile(
                    radialEdges: ds2Edges, reference: HistogramSeries(label: "Geant4", values: radialMeans),
                    models: [
                        HistogramSeries(
                            label: "CaloDiffusion",
                            values: radialMeans.enumerated().map { $0.element * (1 + 0.03 * Double($0.offset)) })
                    ], title: "Dataset 2: mean radial profile")
            ))

        // Shower centre per layer with error bars.
        let centres = (0..<45).map { _ in random.normal(0, 0.3) }
        let centreErrors = (0..<45).map { layer in 1.5 + 0.08 * Double(layer) }
        result.append(
            (
                "centre_eta",
                EvaluationPlots.layerStatistics(
                    layerIDs: Array(0..<45), reference: PointSeries(label: "Geant4", values: centres, errors: centreErrors),
                    models: [
                        PointSeries(
                            label: "CaloDiffusion", values: centres.map { $0 + 0.4 }, errors: centreErrors.map { $0 * 1.1 }),
                        PointSeries(label: "CaloScore", values: centres.map { $0 - 0.3 }, errors: centreErrors.map { $0 * 0.9 }),
                    ], yTitle: "⟨η⟩ centre [mm]", title: "Dataset 2: shower centre in η per layer")
            ))
        result.append(
            (
                "width_ds1",
                EvaluationPlots.layerStatistics(
                    layerIDs: [1, 2, 12, 13],
                    reference: PointSeries(label: "Geant4", values: [18, 42, 160, 210], errors: [5, 9, 40, 55]),
                    models: [PointSeries(label: "CaloDiffusion", values: [20, 40, 150, 230], errors: [6, 8, 38, 60])],
                    yTitle: "Width in φ [mm]", title: "Dataset 1 (pions): shower width per layer")
            ))

        // Response versus incident energy.
        let incident = (0..<20000).map { _ in pow(10, 3 + 3 * random.uniform()) }
        let deposited = incident.map { $0 * random.normal(0.95 - 0.02 * (6 - log10($0)), 0.04) }
        let modelDeposited = incident.map { $0 * random.normal(0.955 - 0.02 * (6 - log10($0)), 0.045) }
        let modelDepositedB = incident.map { $0 * random.normal(0.94 - 0.018 * (6 - log10($0)), 0.035) }
        result.append(
            (
                "response",
                EvaluationPlots.response(
                    incidentEnergyEdges: logspace(1e3, 1e6, 13),
                    reference: ResponseSample(label: "Geant4", incidentEnergies: incident, depositedEnergies: deposited),
                    models: [
                        ResponseSample(label: "CaloDiffusion", incidentEnergies: incident, depositedEnergies: modelDeposited),
                        ResponseSample(label: "CaloScore", incidentEnergies: incident, depositedEnergies: modelDepositedB),
                    ], title: "Dataset 2: E_{dep} / E_{inc} versus E_{inc}")
            ))

        // Pearson correlations: ds1 photons (5 layers, annotated) and ds2 (45 layers).
        func correlations(_ n: Int, length: Double, bias: Double) -> [[Double]] {
            (0..<n).map { i in
                (0..<n).map { j in i == j ? 1 : exp(-abs(Double(i - j)) / length) * (1 - bias) - (abs(i - j) > n / 2 ? 0.2 : 0) }
            }
        }
        result.append(
            (
                "pcc_ds1",
                EvaluationPlots.correlation(
                    layerIDs: photonIDs, reference: correlations(5, length: 1.5, bias: 0),
                    model: correlations(5, length: 1.3, bias: 0.05),
                    referenceLabel: "Geant4", modelLabel: "CaloDiffusion",
                    title: "Dataset 1 (photons): Pearson correlation of layer energies")
            ))
        result.append(
            (
                "pcc_ds2",
                EvaluationPlots.correlation(
                    layerIDs: Array(0..<45), reference: correlations(45, length: 6, bias: 0),
                    model: correlations(45, length: 5, bias: 0.03),
                    referenceLabel: "Geant4", modelLabel: "CaloDiffusion")
            ))

        // Mean shower images.
        let ds2Reference = layerImage(edges: ds2Edges, angularBins: 16, scale: 5, total: 2000, anisotropy: 0.1)
        let ds2Model = layerImage(edges: ds2Edges, angularBins: 16, scale: 5.5, total: 1900, anisotropy: 0.2)
        result.append(
            (
                "shower_ds2_layer_20",
                EvaluationPlots.showerImages(
                    layerID: 20, radialEdges: ds2Edges, angularBins: 16,
                    images: [
                        ImageSeries(label: "Geant4", values: ds2Reference), ImageSeries(label: "CaloDiffusion", values: ds2Model),
                    ])
            ))
        let photonReference = layerImage(edges: photonLayer2Edges, angularBins: 10, scale: 12, total: 9000, anisotropy: 0.05)
        let photonModel = layerImage(edges: photonLayer2Edges, angularBins: 10, scale: 14, total: 8500, anisotropy: 0.1)
        result.append(
            (
                "shower_ds1_layer_2",
                EvaluationPlots.showerImages(
                    layerID: 2, radialEdges: photonLayer2Edges, angularBins: 10,
                    images: [
                        ImageSeries(label: "Geant4", values: photonReference),
                        ImageSeries(label: "CaloDiffusion", values: photonModel),
                        ImageSeries(label: "CaloScore", values: photonReference.map { $0 * 0.8 }),
                    ], radialScale: .logarithmic, title: "Dataset 1 (photons): mean shower, layer 2")
            ))
        result.append(
            (
                "shower_ds2_layer_20_grid",
                EvaluationPlots.showerImages(
                    layerID: 20, radialEdges: ds2Edges, angularBins: 16,
                    images: [
                        ImageSeries(label: "Geant4", values: ds2Reference), ImageSeries(label: "CaloDiffusion", values: ds2Model),
                    ], style: .grid)
            ))
        let overviewLayers = (0..<45).map { layer in
            ShowerLayerImage(
                id: layer, radialEdges: ds2Edges, angularBins: 16,
                values: layerImage(
                    edges: ds2Edges, angularBins: 16, scale: 3 + Double(layer) / 6, total: ds2Means[layer], anisotropy: 0.1))
        }
        result.append(
            (
                "overview_ds2",
                EvaluationPlots.showerOverview(layers: overviewLayers, title: "Dataset 2, Geant4: mean shower per layer")
            ))
        let ds1Layers: [ShowerLayerImage] = [
            ShowerLayerImage(
                id: 0, radialEdges: [0, 5, 10, 30, 50, 100, 200, 400, 600], angularBins: 1,
                values: [60, 30, 20, 6, 2, 0.5, 0.05, 0]),
            ShowerLayerImage(
                id: 1, radialEdges: Array(linspace(0, 200, 17)), angularBins: 10,
                values: layerImage(edges: linspace(0, 200, 17), angularBins: 10, scale: 10, total: 3000, anisotropy: 0.1)),
            ShowerLayerImage(id: 2, radialEdges: photonLayer2Edges, angularBins: 10, values: photonReference),
            ShowerLayerImage(id: 3, radialEdges: [0, 50, 100, 200, 400, 600], angularBins: 1, values: [300, 100, 40, 5, 0.3]),
            ShowerLayerImage(
                id: 12, radialEdges: [0, 100, 200, 400, 1000, 2000], angularBins: 1, values: [6, 1.5, 0.3, 0.02, 0]),
        ]
        result.append(
            (
                "overview_ds1",
                EvaluationPlots.showerOverview(
                    layers: ds1Layers, title: "Dataset 1 (photons), Geant4: mean shower", radialScale: .logarithmic)
            ))

        // Escaping and plain lines with error bars.
        var panel = Panel(title: "<panel> & \"quotes\"", xAxis: Axis(title: "x <&> y"), yAxis: Axis(title: "a_{i} & b^{2}"))
        panel.add(
            .line(
                LineSeries(
                    x: [1, 2, 3, 4], y: [1, 4, 9, 16], yErrors: [0.5, 1, 1.5, 2], label: "model <A> & 'B'", color: .series(0),
                    marker: .circle)))
        panel.add(
            .line(
                LineSeries(
                    x: [1, 2, 3, 4], y: [2, 3, 7, 14], label: "dashed", color: .series(1), dash: .dashed, marker: .square)))
        result.append(("escaping", Figure(title: "Title with <tags> & ampersands", panels: [panel])))
        return result
    }
}
