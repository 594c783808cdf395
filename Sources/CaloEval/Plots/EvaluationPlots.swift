import Figures
import Foundation

/// The figures of the CaloChallenge evaluation (spec/calochallenge.md §4.5–§4.7, §7.2), built
/// from numbers the metrics computed: no files, no features, no statistics beyond per-bin means.
///
/// Every builder returns a `Figure`; write it with `Figure.save(in:name:)`. The reference
/// (Geant4) is a filled grey histogram or black points; models get the palette colours in order.
public enum EvaluationPlots {
    /// How a mean shower layer is drawn.
    public enum ImageStyle: Sendable, Equatable {
        /// A disc of annular sectors (voxels in their detector positions).
        case polar
        /// An (α bin, r bin) grid.
        case grid
    }

    /// "S = 0.0123" for a legend; very small values as 1.2×10⁻⁵.
    public static func separationPowerText(_ value: Double) -> String {
        if value.isNaN { return "S = n/a" }
        if value == 0 { return "S = 0" }
        if value >= 1e-3 || value < 0 { return "S = " + Ticks.minusSigned(String(format: "%.4f", value)) }
        let exponent = Int(floor(log10(value)))
        let mantissa = value / pow(10, Double(exponent))
        return "S = " + String(format: "%.1f", mantissa) + "×10^{" + Ticks.minusSigned(exponent) + "}"
    }

    /// Per-bin mean and standard deviation of `y` for `x` in `[edges[i], edges[i + 1])` (the last bin
    /// includes its right edge); NaN for empty bins, spread NaN for bins with one entry.
    static func binnedMeanAndSpread(x: [Double], y: [Double], edges: [Double]) -> (mean: [Double], spread: [Double], count: [Int])
    {
        let bins = Swift.max(edges.count - 1, 0)
        var sum = [Double](repeating: 0, count: bins)
        var sumSquares = sum
        var count = [Int](repeating: 0, count: bins)
        for (xValue, yValue) in zip(x, y) where xValue.isFinite && yValue.isFinite && bins > 0 {
            guard xValue >= edges[0], xValue <= edges[bins] else { continue }
            // The last bin with edges[i] <= x.
            var low = 0
            var high = bins
            while high - low > 1 {
                let middle = (low + high) / 2
                if edges[middle] <= xValue { low = middle } else { high = middle }
            }
            sum[low] += yValue
            sumSquares[low] += yValue * yValue
            count[low] += 1
        }
        var mean = [Double](repeating: .nan, count: bins)
        var spread = mean
        for bin in 0..<bins where count[bin] > 0 {
            let n = Double(count[bin])
            mean[bin] = sum[bin] / n
            if count[bin] > 1 {
                spread[bin] = sqrt(Swift.max(sumSquares[bin] / n - mean[bin] * mean[bin], 0) * n / (n - 1))
            }
        }
        return (mean, spread, count)
    }

    /// x and y of a step line through per-bin values; non-finite bins leave gaps.
    static func stepLine(edges: [Double], values: [Double]) -> (x: [Double], y: [Double]) {
        var x: [Double] = []
        var y: [Double] = []
        for (index, value) in values.enumerated() {
            x += [edges[index], edges[index + 1]]
            y += [value, value]
        }
        return (x, y)
    }

    /// The shared log colour scale of several images.
    static func imageColorScale(_ images: [[Double]], title: String) -> ColorScale {
        ColorScale.logarithmic(values: images.flatMap { $0 }, decades: 5, title: title)
    }
}
