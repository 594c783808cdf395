import Foundation

extension EvaluationPlots {
    /// A per-layer statistic with error bars (shower centre or width in η or φ, per layer): one
    /// point per relevant layer, series side by side within each layer.
    public static func layerStatistics(
        layerIDs: [Int], reference: PointSeries, models: [PointSeries], yTitle: String, title: String? = nil,
        width: Double = 640, height: Double = 480
    ) -> Figure {
        let series = [reference] + models
        for item in series {
            precondition(
                item.values.count == layerIDs.count,
                "'\(item.label)' has \(item.values.count) values for \(layerIDs.count) layers")
        }
        var panel = Panel(xAxis: Axis(title: "Layer", categories: layerIDs.map(String.init)), yAxis: Axis(title: yTitle))
        let spacing = Swift.min(0.15, 0.6 / Double(series.count))
        for (index, item) in series.enumerated() {
            let offset = (Double(index) - Double(series.count - 1) / 2) * spacing
            let isReference = index == 0
            panel.add(
                .line(
                    LineSeries(
                        x: layerIDs.indices.map { Double($0) + offset }, y: item.values, yErrors: item.errors, label: item.label,
                        color: isReference ? .referenceEdge : .series(index - 1), lineWidth: 0.8,
                        dash: isReference ? .solid : .dashed,
                        drawsLine: layerIDs.count > 1, marker: isReference ? .circle : markers[(index - 1) % markers.count])))
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
        func binned(_ sample: ResponseSample) -> (mean: [Double], spread: [Double], count: [Int]) {
            let ratios = zip(sample.depositedEnergies, sample.incidentEnergies).map { deposited, incident in
                incident > 0 ? deposited / incident : .nan
            }
            return binnedMeanAndSpread(x: sample.incidentEnergies, y: ratios, edges: edges)
        }
        let referenceBins = binned(reference)
        let xAxis = Axis(title: "E_{inc} [MeV]", scale: .log, range: edges[0]...edges[edges.count - 1])

        var top = Panel(xAxis: xAxis, yAxis: Axis(title: yTitle))
        top.xAxis.title = ""
        top.xAxis.showsTickLabels = false
        let spread = referenceBins.spread.map { $0.isFinite ? $0 : 0 }
        top.add(
            .band(
                Band(
                    x: edges, low: zip(referenceBins.mean, spread).map { $0 - $1 },
                    high: zip(referenceBins.mean, spread).map { $0 + $1 },
                    label: "\(reference.label) ±1σ", color: .referenceFill, opacity: 1)))
        let referenceLine = stepLine(edges: edges, values: referenceBins.mean)
        top.add(
            .line(
                LineSeries(
                    x: referenceLine.x, y: referenceLine.y, label: "\(reference.label) mean", color: .referenceEdge,
                    lineWidth: 1.2)))

        var ratio = Panel(xAxis: xAxis, yAxis: Axis(title: "Ratio", range: ratioRange), legend: .hidden)
        ratio.add(.referenceLine(ReferenceLine(y: 1)))
        let logEdges = edges.map { log10($0) }
        for (index, model) in models.enumerated() {
            let bins = binned(model)
            // Points sit at the bin centre in log E, nudged apart so error bars do not overlap.
            let offset = (Double(index) - Double(models.count - 1) / 2) * 0.12
            let x = (0..<(edges.count - 1)).map { bin in
                pow(10, logEdges[bin] + (0.5 + offset / Double(Swift.max(models.count, 1))) * (logEdges[bin + 1] - logEdges[bin]))
            }
            top.add(
                .line(
                    LineSeries(
                        x: x, y: bins.mean, yErrors: bins.spread.map { $0.isFinite ? $0 : 0 }, label: model.label,
                        color: .series(index),
                        drawsLine: false, marker: markers[index % markers.count])))
            let means = zip(bins.mean, referenceBins.mean).map { value, ref in ref != 0 && ref.isFinite ? value / ref : .nan }
            ratio.add(
                .line(
                    LineSeries(
                        x: x, y: means, color: .series(index), drawsLine: false, marker: markers[index % markers.count],
                        markerSize: 3)))
        }
        return Figure(width: width, height: height, title: title, panels: [top, ratio], rowWeights: [3, 1.15])
    }

    static let markers: [Marker] = [.square, .triangle, .diamond, .circle]
}
