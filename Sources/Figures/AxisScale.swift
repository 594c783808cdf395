import Foundation

/// How data values map to positions along an axis or a colour bar.
public enum AxisScale: Sendable, Equatable {
    case linear
    /// Base-10 logarithmic; values ≤ 0 lie below every range.
    case log

    /// The value in the space where the mapping is linear (log₁₀ for `.log`); `-∞` for values ≤ 0 on a
    /// log scale, NaN stays NaN.
    public func transformed(_ value: Double) -> Double {
        switch self {
        case .linear: return value
        case .log: return value > 0 ? Foundation.log10(value) : (value.isNaN ? .nan : -.infinity)
        }
    }

    /// The inverse of `transformed(_:)`.
    public func inverted(_ value: Double) -> Double {
        switch self {
        case .linear: return value
        case .log: return Foundation.pow(10, value)
        }
    }
}

/// A mapping from a data interval onto a pixel interval, linear or logarithmic.
///
/// `map(domain.lowerBound)` is `start` and `map(domain.upperBound)` is `end`; `end < start` for a
/// y axis, whose pixels grow downwards.
struct ScaleMapping: Sendable, Equatable {
    /// Linear or logarithmic.
    var scale: AxisScale
    /// The data interval (positive for a log scale).
    var domain: ClosedRange<Double>
    /// Pixel position of `domain.lowerBound`.
    var start: Double
    /// Pixel position of `domain.upperBound`.
    var end: Double

    /// A mapping; a log domain must be positive (a programmer error otherwise; it traps).
    init(scale: AxisScale, domain: ClosedRange<Double>, start: Double, end: Double) {
        precondition(scale == .linear || domain.lowerBound > 0, "a log scale needs a positive domain, got \(domain)")
        self.scale = scale
        self.domain = domain
        self.start = start
        self.end = end
    }

    /// Pixel position of `value`; values outside the domain extrapolate, `-∞` (≤ 0 on a log scale)
    /// stays infinite, so callers clamp or clip.
    func map(_ value: Double) -> Double {
        let low = scale.transformed(domain.lowerBound)
        let high = scale.transformed(domain.upperBound)
        let t = scale.transformed(value)
        if t == -.infinity { return end > start ? -.infinity : .infinity }
        guard high > low else { return (start + end) / 2 }
        return start + (t - low) / (high - low) * (end - start)
    }

    /// Pixel position of `value`, clamped to `margin` px beyond the ends so paths with values off the
    /// scale (or ≤ 0 on a log scale) leave the plot area cleanly and get clipped.
    func clampedMap(_ value: Double, margin: Double = 20) -> Double {
        let position = map(value)
        let low = Swift.min(start, end) - margin
        let high = Swift.max(start, end) + margin
        if position.isNaN { return position }
        return Swift.min(Swift.max(position, low), high)
    }

    /// The data value at pixel `position`.
    func invert(_ position: Double) -> Double {
        let low = scale.transformed(domain.lowerBound)
        let high = scale.transformed(domain.upperBound)
        guard end != start else { return domain.lowerBound }
        return scale.inverted(low + (position - start) / (end - start) * (high - low))
    }

    /// Whether `value` lies inside the domain (with a relative tolerance for rounding).
    func contains(_ value: Double) -> Bool {
        let low = scale.transformed(domain.lowerBound)
        let high = scale.transformed(domain.upperBound)
        let t = scale.transformed(value)
        let tolerance = 1e-9 * Swift.max(Swift.abs(high - low), 1e-300)
        return t >= low - tolerance && t <= high + tolerance
    }
}
