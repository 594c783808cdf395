import Foundation

/// A colour map: evenly spaced anchor colours, linearly interpolated over t ∈ [0, 1].
public struct ColorMap: Sendable, Equatable {
    /// Colours at t = 0, 1/(n − 1), …, 1.
    public var anchors: [Color]

    /// A map through `anchors` (at least two).
    public init(anchors: [Color]) {
        precondition(anchors.count >= 2, "a colour map needs at least two anchors")
        self.anchors = anchors
    }

    /// The colour at `t`, clamped to [0, 1].
    public func color(at t: Double) -> Color {
        let clamped = Swift.min(Swift.max(t.isNaN ? 0 : t, 0), 1)
        let position = clamped * Double(anchors.count - 1)
        let index = Swift.min(Int(position), anchors.count - 2)
        return anchors[index].mixed(with: anchors[index + 1], position - Double(index))
    }

    /// Matplotlib's viridis (sequential, perceptually uniform), sampled at 11 points.
    public static let viridis = ColorMap(
        anchors: [
            0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
        ].map(Color.init(hex:)))

    /// ColorBrewer RdBu reversed: blue (negative) – white (0) – red (positive), for correlations and
    /// differences.
    public static let diverging = ColorMap(
        anchors: [
            0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F,
        ].map(Color.init(hex:)))
}

/// Maps values to colours: a colour map over a value range, linear or logarithmic, with a title
/// for the colour bar.
public struct ColorScale: Sendable, Equatable {
    /// The colours.
    public var map: ColorMap
    /// Values mapped onto the colour map's ends (positive for a log scale).
    public var range: ClosedRange<Double>
    /// Linear or logarithmic mapping of values to colours.
    public var scale: AxisScale
    /// Title of the colour bar ("mean energy [MeV]").
    public var title: String
    /// Colour of values below the range (including ≤ 0 on a log scale); nil draws them like the
    /// range's low end.
    public var underColor: Color?

    /// A colour scale; a log scale needs a positive range (a programmer error otherwise; it traps).
    public init(
        map: ColorMap = .viridis, range: ClosedRange<Double>, scale: AxisScale = .linear, title: String = "",
        underColor: Color? = nil
    ) {
        precondition(scale == .linear || range.lowerBound > 0, "a log colour scale needs a positive range, got \(range)")
        self.map = map
        self.range = range
        self.scale = scale
        self.title = title
        self.underColor = underColor
    }

    /// A diverging scale symmetric about 0 covering ±`limit` (for differences and correlations).
    public static func diverging(limit: Double, title: String = "") -> ColorScale {
        let bound = limit > 0 && limit.isFinite ? limit : 1
        return ColorScale(map: .diverging, range: -bound...bound, scale: .linear, title: title)
    }

    /// A log scale from the largest finite value down `decades` decades (or to the smallest positive
    /// value, whichever is higher), for mean shower images; values below are drawn white.
    public static func logarithmic(values: [Double], decades: Double = 5, title: String = "") -> ColorScale {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        let high = positive.max() ?? 1
        let low = Swift.max(positive.min() ?? high / 10, high * Foundation.pow(10, -decades))
        let range = low < high ? low...high : (high / 10)...high
        return ColorScale(map: .viridis, range: range, scale: .log, title: title, underColor: .white)
    }

    /// The position of `value` along the map, t ∈ [0, 1] unclamped; NaN for NaN.
    func position(of value: Double) -> Double {
        let low = scale.transformed(range.lowerBound)
        let high = scale.transformed(range.upperBound)
        let t = scale.transformed(value)
        guard high > low else { return 0.5 }
        return (t - low) / (high - low)
    }

    /// The colour of `value`: `Color.missing` for NaN, `underColor` below the range when set,
    /// otherwise the clamped map colour.
    public func color(for value: Double) -> Color {
        if value.isNaN { return .missing }
        let t = position(of: value)
        if t < 0, let underColor { return underColor }
        return map.color(at: t)
    }
}
