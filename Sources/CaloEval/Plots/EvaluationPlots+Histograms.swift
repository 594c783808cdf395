import Figures
import Foundation

extension EvaluationPlots {
    /// A feature histogram: the reference filled grey, models as coloured outlines with their
    /// separation power in the legend, and a ratio panel (model / reference) below with the
    /// reference's ±1σ statistical band around 1 when its entry count is known.
    ///
    /// A second reference (`reference2`, an independent Geant4 sample) is drawn as a dashed grey
    /// outline with its separation power (the reference floor); in the ratio panel the grey band then
    /// also spans reference2 / reference, so it shows how far two Geant4 samples differ.
    ///
    /// - Parameters:
    ///   - edges: bin edges (spec §4.5 binnings); `values` of every series has `edges.count − 1` entries.
    ///   - xScale: `.log` for E_layer and voxel energies (evaluate.py always plots those on a log x axis).
    ///   - ratioRange: y range of the ratio panel.
    public static func histogram(
        edges: [Double], reference: HistogramSeries, reference2: HistogramSeries? = nil, models: [HistogramSeries],
        xTitle: String, yTitle: String = "Normalised entries", title: String? = nil, xScale: AxisScale = .linear,
        yScale: AxisScale = .linear, ratioRange: ClosedRange<Double> = 0.5...1.5, width: Double = 640, height: Double = 480
    ) -> Figure {
        histogramWithRatio(
            edges: edges, reference: reference, reference2: reference2, models: models,
            xAxis: Axis(title: xTitle, scale: xScale),
            yAxis: Axis(title: yTitle, scale: yScale), title: title, ratioRange: ratioRange, width: width, height: height)
    }

    /// The mean longitudinal profile: mean energy per layer (MeV), one bin per relevant layer
    /// labelled with its id, log y, with a ratio panel.
    public static func longitudinalProfile(
        layerIDs: [Int], reference: HistogramSeries, reference2: HistogramSeries? = nil, models: [HistogramSeries],
        yTitle: String = "Mean energy [MeV]", title: String? = "Mean energy per layer",
        ratioRange: ClosedRange<Double> = 0.5...1.5, width: Double = 640, height: Double = 480
    ) -> Figure {
        let edges = (0...layerIDs.count).map { Double($0) - 0.5 }
        return histogramWithRatio(
            edges: edges, reference: reference, reference2: reference2, models: models,
            xAxis: Axis(title: "Layer", categories: layerIDs.map(String.init)), yAxis: Axis(title: yTitle, scale: .log),
            title: title, ratioRange: ratioRange, width: width, height: height)
    }

    /// The mean radial profile: mean energy per radial bin (MeV) over the given radial edges (mm),
    /// log y, with a ratio panel. On a log x axis the first edge, 0, is drawn at half the second.
    public static func radialProfile(
        radialEdges: [Double], reference: HistogramSeries, reference2: HistogramSeries? = nil, models: [HistogramSeries],
        yTitle: String = "Mean energy [MeV]", title: String? = "Mean radial profile", xScale: AxisScale = .linear,
        ratioRange: ClosedRange<Double> = 0.5...1.5, width: Double = 640, height: Double = 480
    ) -> Figure {
        var edges = radialEdges
        if xScale == .log, edges.count > 1, edges[0] <= 0 { edges[0] = edges[1] / 2 }
        return histogramWithRatio(
            edges: edges, reference: reference, reference2: reference2, models: models,
            xAxis: Axis(title: "r [mm]", scale: xScale),
            yAxis: Axis(title: yTitle, scale: .log), title: title, ratioRange: ratioRange, width: width, height: height)
    }

    static func histogramWithRatio(
        edges: [Double], reference: HistogramSeries, reference2: HistogramSeries? = nil, models: [HistogramSeries],
        xAxis: Axis, yAxis: Axis, title: String?, ratioRange: ClosedRange<Double>, width: Double, height: Double
    ) -> Figure {
        precondition(edges.count >= 2, "a histogram needs at least two edges")
        let series = [reference] + (reference2.map { [$0] } ?? []) + models
        for item in series {
            precondition(
                item.values.count == edges.count - 1,
                "'\(item.label)' has \(item.values.count) values for \(edges.count - 1) bins")
        }
        var xRange = edges[0]...edges[edges.count - 1]
        if xAxis.scale == .log, xRange.lowerBound <= 0 {
            xRange = (edges.first { $0 > 0 } ?? 1)...Swift.max(xRange.upperBound, 10)
        }

        var top = Panel(xAxis: xAxis, yAxis: yAxis)
        top.xAxis.range = xAxis.categories == nil ? xRange : nil
        top.xAxis.title = ""
        top.xAxis.showsTickLabels = false
        top.add(
            .histogram(
                StepHistogram(
                    edges: edges, values: reference.values, label: legendLabel(reference), color: .referenceEdge,
                    fill: .referenceFill, lineWidth: 1)))
        if let reference2 {
            top.add(
                .histogram(
                    StepHistogram(
                        edges: edges, values: reference2.values, label: legendLabel(reference2), color: .referenceEdge,
                        lineWidth: 1.2, dash: .dashed)))
        }
        for (index, model) in models.enumerated() {
            top.add(
                .histogram(
                    StepHistogram(
                        edges: edges, values: model.values, label: legendLabel(model), color: .series(index), lineWidth: 1.6)))
        }

        var ratio = Panel(xAxis: xAxis, yAxis: Axis(title: "Ratio", range: ratioRange), legend: .hidden)
        ratio.xAxis.range = top.xAxis.range
        func ratios(_ values: [Double]) -> [Double] {
            zip(values, reference.values).map { value, ref in ref > 0 && ref.isFinite ? value / ref : .nan }
        }
        var low = [Double](repeating: .nan, count: edges.count - 1)
        var high = low
        if let entries = reference.entryCount, entries > 0 {
            // density_i = n_i / (N · width_i), so n_i = density_i · N · width_i and σ/n = 1/√n_i.
            for index in reference.values.indices {
                let count = reference.values[index] * Double(entries) * (edges[index + 1] - edges[index])
                guard count > 0 else { continue }
                low[index] = 1 - 1 / count.squareRoot()
                high[index] = 1 + 1 / count.squareRoot()
            }
        }
        if let reference2 {
            // The band also covers where the second Geant4 sample lies.
            for (index, value) in ratios(reference2.values).enumerated() where value.isFinite {
                low[index] = low[index].isFinite ? Swift.min(low[index], value) : Swift.min(1, value)
                high[index] = high[index].isFinite ? Swift.max(high[index], value) : Swift.max(1, value)
            }
        }
        if low.contains(where: \.isFinite) {
            ratio.add(.band(Band(x: edges, low: low, high: high, color: .referenceFill, opacity: 1)))
        }
        ratio.add(.referenceLine(ReferenceLine(y: 1)))
        if let reference2 {
            let line = stepLine(edges: edges, values: ratios(reference2.values))
            ratio.add(.line(LineSeries(x: line.x, y: line.y, color: .referenceEdge, lineWidth: 1, dash: .dashed)))
        }
        for (index, model) in models.enumerated() {
            let line = stepLine(edges: edges, values: ratios(model.values))
            ratio.add(.line(LineSeries(x: line.x, y: line.y, color: .series(index), lineWidth: 1.4)))
        }
        return Figure(width: width, height: height, title: title, panels: [top, ratio], rowWeights: [3, 1.15])
    }

    static func legendLabel(_ series: HistogramSeries) -> String {
        guard let power = series.separationPower else { return series.label }
        return "\(series.label) (\(separationPowerText(power)))"
    }
}
