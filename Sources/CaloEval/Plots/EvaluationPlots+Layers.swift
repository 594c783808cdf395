import Figures
import Foundation

extension EvaluationPlots {
    /// A per-layer statistic with error bars (shower centre or width in η or φ, per layer): one
    /// point per relevant layer, series side by side within each layer. The reference is drawn in
    /// dark grey with circles, `reference2` (a second reference) in dark grey, dashed, with diamonds.
    ///
    /// - Parameter referenceBand: optional lower and upper bounds per layer drawn as a grey band
    ///   behind the points (for example the reference's mean ± standard deviation over events, when
    ///   the error bars are standard errors), labelled `referenceBandLabel`.
    public static func layerStatistics(
        layerIDs: [Int], reference: PointSeries, reference2: PointSeries? = nil, models: [PointSeries], yTitle: String,
        title: String? = nil, referenceBand: (low: [Double], high: [Double])? = nil, referenceBandLabel: String? = nil,
        width: Double = 640, height: Double = 480
    ) -> Figure {
        let series = [reference] + (reference2.map { [$0] } ?? []) + models
        for item in series {
            precondition(
                item.values.count == layerIDs.count,
                "'\(item.label)' has \(item.values.count) values for \(layerIDs.count) layers")
        }
        var panel = Panel(xAxis: Axis(title: "Layer", categories: layerIDs.map(String.init)), yAxis: Axis(title: yTitle))
        if let band = referenceBand {
            precondition(
                band.low.count == layerIDs.count && band.high.count == layerIDs.count, "the band needs one bound per layer")
            // Steps one layer wide, so a single layer still shows its band.
            panel.add(
                .band(
                    Band(
                        x: (0...layerIDs.count).map { Double($0) - 0.5 }, low: band.low, high: band.high,
                        label: referenceBandLabel, color: .referenceFill, opacity: 1)))
        }
        let spacing = Swift.min(0.15, 0.6 / Double(series.count))
        let referenceCount = reference2 == nil ? 1 : 2
        for (index, item) in series.enumerated() {
            let offset = (Double(index) - Double(series.count - 1) / 2) * spacing
            let modelIndex = index - referenceCount
            let color: Color = modelIndex < 0 ? .referenceEdge : .series(modelIndex)
            let marker: Marker = index == 0 ? .circle : modelIndex < 0 ? .diamond : markers[modelIndex % markers.count]
            panel.add(
                .line(
                    LineSeries(
                        x: layerIDs.indices.map { Double($0) + offset }, y: item.values, yErrors: item.errors, label: item.label,
                        color: color, lineWidth: 0.8, dash: index == 0 ? .solid : .dashed,
                        drawsLine: layerIDs.count > 1, marker: marker)))
        }
        return Figure(width: width, height: height, title: title, panels: [panel])
    }

    /// The response E_dep / E_inc versus E_inc: per incident-energy bin the mean ± standard
    /// deviation of the ratio; the reference as a grey band with its mean, models as points with
    /// error bars, and a ratio panel of the means below.
    ///
    /// - Parameter incidentEnergyEdges: bins in MeV (log-spaced; the x axis is logarithmic).
    public static func response(
        incidentEnergyEdges: [Double], reference: ResponseSample, models: [ResponseSample], title: String? = "Energy response",
        yTitle: String = "E_{dep} / E_{inc}", ratioRange: ClosedRange<Double> = 0.9...1.1, width: Double = 640,
        height: Double = 480
    ) -> Figure {
        let edges = incidentEnergyEdges
        precondition(edges.count >= 2 && edges[0] > 0, "the incident-energy bins need positive edges")
        func binned(_ sample: ResponseSample) -> PointSeries {
            let ratios = zip(sample.depositedEnergies, sample.incidentEnergies).map { deposited, incident in
                incident > 0 ? deposited / incident : .nan
            }
            let bins = binnedMeanAndSpread(x: sample.incidentEnergies, y: ratios, edges: edges)
            return PointSeries(label: sample.label, values: bins.mean, errors: bins.spread)
        }
        return response(
            incidentEnergyEdges: edges, binnedReference: binned(reference), binnedModels: models.map(binned), title: title,
            yTitle: yTitle, ratioRange: ratioRange, width: width, height: height)
    }

    /// The response figure from per-bin statistics already computed (``BinnedResponse``): for each
    /// sample one mean E_dep / E_inc per incident-energy bin in `values` and its standard deviation
    /// in `errors` (NaN for empty bins). A dashed grey band marks `reference2`, a second reference,
    /// when given.
    public static func response(
        incidentEnergyEdges: [Double], binnedReference reference: PointSeries, binnedReference2 reference2: PointSeries? = nil,
        binnedModels models: [PointSeries], title: String? = "Energy response", yTitle: String = "E_{dep} / E_{inc}",
        ratioRange: ClosedRange<Double> = 0.9...1.1, width: Double = 640, height: Double = 480
    ) -> Figure {
        let edges = incidentEnergyEdges
        precondition(edges.count >= 2 && edges[0] > 0, "the incident-energy bins need positive edges")
        for item in [reference] + (reference2.map { [$0] } ?? []) + models {
            precondition(
                item.values.count == edges.count - 1,
                "'\(item.label)' has \(item.values.count) values for \(edges.count - 1) bins")
        }
        let xAxis = Axis(title: "E_{inc} [MeV]", scale: .log, range: edges[0]...edges[edges.count - 1])

        var top = Panel(xAxis: xAxis, yAxis: Axis(title: yTitle))
        top.xAxis.title = ""
        top.xAxis.showsTickLabels = false
        let spread = (reference.errors ?? reference.values.map { _ in 0 }).map { $0.isFinite ? $0 : 0 }
        top.add(
            .band(
                Band(
                    x: edges, low: zip(reference.values, spread).map { $0 - $1 },
                    high: zip(reference.values, spread).map { $0 + $1 },
                    label: "\(reference.label) ±1σ", color: .referenceFill, opacity: 1)))
        let referenceLine = stepLine(edges: edges, values: reference.values)
        top.add(
            .line(
                LineSeries(
                    x: referenceLine.x, y: referenceLine.y, label: "\(reference.label) mean", color: .referenceEdge,
                    lineWidth: 1.2)))

        var ratio = Panel(xAxis: xAxis, yAxis: Axis(title: "Ratio", range: ratioRange), legend: .hidden)
        ratio.add(.referenceLine(ReferenceLine(y: 1)))
        func meanRatios(_ values: [Double]) -> [Double] {
            zip(values, reference.values).map { value, ref in ref != 0 && ref.isFinite ? value / ref : .nan }
        }
        if let reference2 {
            let line = stepLine(edges: edges, values: reference2.values)
            top.add(
                .line(
                    LineSeries(
                        x: line.x, y: line.y, label: "\(reference2.label) mean", color: .referenceEdge, lineWidth: 1.2,
                        dash: .dashed)))
            let ratioLine = stepLine(edges: edges, values: meanRatios(reference2.values))
            ratio.add(.line(LineSeries(x: ratioLine.x, y: ratioLine.y, color: .referenceEdge, lineWidth: 1, dash: .dashed)))
        }
        let logEdges = edges.map { log10($0) }
        for (index, model) in models.enumerated() {
            // Points sit at the bin centre in log E, nudged apart so error bars do not overlap.
            let offset = (Double(index) - Double(models.count - 1) / 2) * 0.12
            let x = (0..<(edges.count - 1)).map { bin in
                pow(10, logEdges[bin] + (0.5 + offset / Double(Swift.max(models.count, 1))) * (logEdges[bin + 1] - logEdges[bin]))
            }
            top.add(
                .line(
                    LineSeries(
                        x: x, y: model.values, yErrors: model.errors.map { $0.map { $0.isFinite ? $0 : 0 } },
                        label: model.label, color: .series(index), drawsLine: false, marker: markers[index % markers.count])))
            ratio.add(
                .line(
                    LineSeries(
                        x: x, y: meanRatios(model.values), color: .series(index), drawsLine: false,
                        marker: markers[index % markers.count], markerSize: 3)))
        }
        return Figure(width: width, height: height, title: title, panels: [top, ratio], rowWeights: [3, 1.15])
    }

    static let markers: [Marker] = [.square, .triangle, .diamond, .circle]
}
