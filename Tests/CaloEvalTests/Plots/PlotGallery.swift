import Figures
import Foundation

@testable import CaloEval

/// Every plot type drawn from synthetic numbers (fixed seed), for the tests and for looking at:
/// `CALOFORGE_PLOT_GALLERY=/tmp/plots swift test --filter EvaluationPlotsTests` writes them as SVG and PNG.
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
