import Foundation
import Testing
import _TestSupport

@testable import Figures

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What the renderer draws: tick labels, log labels, markers and error bars, polar voxels, legend headroom, deterministic output.
@Suite struct FigureRendererTests {
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

    @Test func outputIsDeterministicAndWellFormed() throws {
        let first = sampleFigure().svg()
        #expect(first == sampleFigure().svg())
        let document = try XMLSummary.parse(first)
        #expect(document.elements.first?.name == "svg")
        #expect(document.elements(class: "histogram").count == 1)
        #expect(document.elements(class: "line").count == 1)
    }
}
