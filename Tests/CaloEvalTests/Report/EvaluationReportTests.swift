import CaloData
import Foundation
import Testing

@testable import CaloEval

/// The figure plan of the report on the ds2 fixtures: which figures, which layers get images, and
/// that the figure data match what the metrics used.
@Suite struct EvaluationReportTests {
    static func run(includesFigureData: Bool = true) throws -> (EvaluationResult, EvaluationFigureData?) {
        let configuration = EvaluationConfiguration(
            reference: try TestFixtures.path("ds2-reference.h5"), generated: [try TestFixtures.path("ds2-generated.h5")],
            metrics: MetricSelection([.hist]), includesFigureData: includesFigureData)
        let run = try Evaluation(configuration).runWithFigureData()
        return (run.result, run.figureData)
    }

    @Test func figureDataComeFromTheSamePassesAsTheMetrics() throws {
        let (result, optionalData) = try Self.run()
        let data = try #require(optionalData)
        #expect(data.files.map(\.label) == ["reference", "ds2-generated"])
        #expect(data.reference.statistics.eventCount == 200 && data.generated[0].statistics.eventCount == 200)
        // The histograms are the ones the separation powers were scored on.
        let reference = try #require(data.reference.histograms?.histograms["E_ratio"])
        let generated = try #require(data.generated[0].histograms?.histograms["E_ratio"])
        #expect(
            result[.hist]?.observables["E_ratio"]?.scores["ds2-generated"]?.value == (try separationPower(reference, generated)))
        #expect(data.reference.histograms?.histograms["voxel_energy"] != nil)
        // ds2: 12 response bins over 1 GeV … 1 TeV at most, shared by all files.
        let edges = try #require(data.reference.statistics.response?.incidentEnergyEdges)
        #expect(edges == data.generated[0].statistics.response?.incidentEnergyEdges)
        #expect(edges.count >= 2 && edges.count <= 13)
        #expect(data.reference.correlation.count == 45)
        let decoded = try JSONDecoder().decode(EvaluationFigureData.self, from: try JSONEncoder().encode(data))
        #expect(decoded == data)
        #expect(try Self.run(includesFigureData: false).1 == nil)
    }

    @Test func planCoversEveryObservableAndEveryFifthLayer() throws {
        let (result, data) = try Self.run()
        let report = EvaluationReport(result: result, figureData: data)
        let figures = report.plannedFigures()
        let names = figures.map(\.name)
        #expect(Set(names).count == names.count)
        let expectedHistograms = try #require(data?.histogramEdges).entries.filter { $0.edges != nil }.count
        #expect(names.filter { $0.hasPrefix("hist_") }.count == expectedHistograms)
        let (layers, maximum) = report.imageLayers(try #require(data))
        let maximumLayer = try #require(maximum)
        #expect(layers == (Array(stride(from: 0, to: 45, by: 5)) + [maximumLayer]).uniqued().sorted())
        #expect(names.filter { $0.hasPrefix("shower_layer_") }.count == layers.count)
        // 6480 voxels fit under the overview cap: every layer, one overview per file.
        #expect(
            names.filter { $0.hasPrefix("shower_overview_") } == ["shower_overview_reference", "shower_overview_ds2-generated"])
        // Sections in page order.
        let sections = figures.map(\.section.rawValue)
        #expect(sections == sections.sorted())
        let html = report.htmlReport(figures: figures.map { ($0, "plots/\($0.name).svg") })
        #expect(html.figures.count == figures.count)
        #expect(EvaluationReport(result: result, figureData: nil).plannedFigures().isEmpty)
    }

    @Test func dataset3OverviewsAreCapped() throws {
        // One empty ds3 event is enough to plan the images: 40500 voxels exceed the overview cap.
        var statistics = try ShowerStatistics(geometry: .ds3, incidentEnergyEdges: nil)
        var shower = [Float](repeating: 0, count: Geometry.ds3.voxelCount)
        shower[Geometry.ds3.offsets[12]] = 5  // the most energy in layer 12
        try statistics.append(
            showers: shower, features: try HighLevelFeatures(showers: shower, incidentEnergies: [10], geometry: .ds3))
        let file = EvaluationFigureData.File(
            label: "reference", role: .reference, statistics: statistics, histograms: nil, correlation: [])
        let data = EvaluationFigureData(geometry: .ds3, histogramEdges: nil, reference: file, reference2: nil, generated: [])
        let (result, _) = try Self.run(includesFigureData: false)
        let report = EvaluationReport(result: result, figureData: data)
        #expect(report.imageLayers(data).ids == [0, 5, 10, 12, 15, 20, 25, 30, 35, 40])
        let overview = try #require(report.plannedFigures().first { $0.name == "shower_overview_reference" })
        #expect(overview.figure.panels.count == 10)
        #expect(overview.caption.contains("too many for one figure"))
    }
}

extension Array where Element: Hashable {
    fileprivate func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
