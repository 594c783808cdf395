import Foundation

/// Automatic axis ranges from a panel's items.
enum DataExtent {
    /// The x range: bin edges of histograms, bands and heat maps exactly; points with 4 % padding;
    /// categories from −0.5 to n − 0.5.
    static func x(of panel: Panel) -> ClosedRange<Double> {
        let scale = panel.xAxis.scale
        if let categories = panel.xAxis.categories, !categories.isEmpty {
            return -0.5...(Double(categories.count) - 0.5)
        }
        var exact: [Double] = []
        var padded: [Double] = []
        for item in panel.items {
            switch item {
            case .histogram(let histogram): exact += histogram.edges
            case .band(let band): exact += band.x
            case .heatMap(let map): exact += map.xEdges
            case .line(let series):
                for (index, x) in series.x.enumerated() {
                    let error = series.xErrors?[index] ?? 0
                    padded += [x - (error.isFinite ? error : 0), x + (error.isFinite ? error : 0)]
                }
            case .referenceLine, .polarImage: break
            }
        }
        return range(exact: exact, padded: padded, scale: scale, includesZero: false)
    }

    /// The y range: histograms start at 0 on a linear axis; everything else gets 5 % padding.
    static func y(of panel: Panel) -> ClosedRange<Double> {
        let scale = panel.yAxis.scale
        if let categories = panel.yAxis.categories, !categories.isEmpty {
            return -0.5...(Double(categories.count) - 0.5)
        }
        var exact: [Double] = []
        var padded: [Double] = []
        var hasHistogram = false
        for item in panel.items {
            switch item {
            case .histogram(let histogram):
                hasHistogram = true
                padded += histogram.values
            case .band(let band): padded += band.low + band.high
            case .heatMap(let map): exact += map.yEdges
            case .line(let series):
                for (index, y) in series.y.enumerated() {
                    let error = series.yErrors?[index] ?? 0
                    padded += [y - (error.isFinite ? error : 0), y + (error.isFinite ? error : 0)]
                }
            case .referenceLine(let line): padded.append(line.y)
            case .polarImage: break
            }
        }
        return range(exact: exact, padded: padded, scale: scale, includesZero: hasHistogram)
    }

    private static func range(exact: [Double], padded: [Double], scale: AxisScale, includesZero: Bool) -> ClosedRange<Double> {
        let usable = { (value: Double) in value.isFinite && (scale == .linear || value > 0) }
        let exactValues = exact.filter(usable).map(scale.transformed)
        let paddedValues = padded.filter(usable).map(scale.transformed)
        let all = exactValues + paddedValues
        guard var low = all.min(), var high = all.max() else {
            return scale == .log ? 1...10 : 0...1
        }
        if high == low {
            low -= scale == .log ? 0.5 : Swift.max(abs(low) * 0.1, 0.5)
            high += scale == .log ? 0.5 : Swift.max(abs(high) * 0.1, 0.5)
        } else if !paddedValues.isEmpty {
            let span = high - low
            if let paddedLow = paddedValues.min(), paddedLow <= (exactValues.min() ?? .infinity) { low -= 0.05 * span }
            if let paddedHigh = paddedValues.max(), paddedHigh >= (exactValues.max() ?? -.infinity) { high += 0.05 * span }
        }
        if includesZero && scale == .linear {
            low = Swift.min(low, 0)
            if (all.min() ?? 0) >= 0 { low = 0 }
        }
        return scale.inverted(low)...scale.inverted(high)
    }

    /// The y range grown so that data inside `xSpan` stays below a legend covering the top
    /// `freeFraction` of the plot (at most 60 %). Unchanged when nothing reaches under the legend.
    static func headroom(
        for panel: Panel, domain: ClosedRange<Double>, scale: AxisScale, xSpan: ClosedRange<Double>, freeFraction: Double
    ) -> ClosedRange<Double> {
        guard let top = maxY(of: panel, in: xSpan, scale: scale) else { return domain }
        let low = scale.transformed(domain.lowerBound)
        let high = scale.transformed(domain.upperBound)
        let data = scale.transformed(top)
        guard data.isFinite, high > low else { return domain }
        let allowed = 1 - Swift.min(Swift.max(freeFraction, 0), 0.6)
        guard (data - low) / (high - low) > allowed else { return domain }
        return domain.lowerBound...scale.inverted(low + (data - low) / allowed)
    }

    /// The highest y drawn inside `xSpan` (bins overlapping it, points inside it).
    private static func maxY(of panel: Panel, in xSpan: ClosedRange<Double>, scale: AxisScale) -> Double? {
        let usable = { (value: Double) in value.isFinite && (scale == .linear || value > 0) }
        var values: [Double] = []
        for item in panel.items {
            switch item {
            case .histogram(let histogram):
                for (index, value) in histogram.values.enumerated()
                where histogram.edges[index + 1] >= xSpan.lowerBound && histogram.edges[index] <= xSpan.upperBound {
                    values.append(value)
                }
            case .band(let band):
                for index in band.high.indices {
                    let from = band.x[index]
                    let to = band.shape == .steps ? band.x[index + 1] : from
                    if to >= xSpan.lowerBound && from <= xSpan.upperBound { values.append(band.high[index]) }
                }
            case .line(let series):
                for (index, x) in series.x.enumerated() where xSpan.contains(x) {
                    values.append(series.y[index] + (series.yErrors?[index] ?? 0))
                }
            case .referenceLine(let line): values.append(line.y)
            case .heatMap, .polarImage: break
            }
        }
        return values.filter(usable).max()
    }
}
