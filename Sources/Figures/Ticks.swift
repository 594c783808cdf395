import Foundation

/// A tick label: a mantissa text and an optional power-of-ten exponent drawn as a superscript
/// ("10" with exponent "3" reads 10³; "2×10" with exponent "−4").
struct TickLabel: Sendable, Equatable, CustomStringConvertible {
    /// The label, or the mantissa part before the exponent.
    var text: String
    /// Superscript power of ten, or nil.
    var exponent: String?

    init(_ text: String, exponent: String? = nil) {
        self.text = text
        self.exponent = exponent
    }

    /// Plain-text form: "10^3", "2×10^-4", "0.5".
    var description: String { exponent.map { "\(text)^\($0)" } ?? text }

    var richText: RichText {
        var segments = [RichText.Segment(text: text, baseline: .normal)]
        if let exponent { segments.append(RichText.Segment(text: exponent, baseline: .sup)) }
        return RichText(segments: segments)
    }
}

/// A tick: its position in data units, and its label (nil for a minor tick).
struct Tick: Sendable, Equatable {
    /// Position in data units.
    var value: Double
    /// Label of a major tick; nil for a minor tick.
    var label: TickLabel?

    init(value: Double, label: TickLabel?) {
        self.value = value
        self.label = label
    }

    /// Whether the tick has a label (drawn longer).
    var isMajor: Bool { label != nil }
}

/// Tick placement: "nice" 1–2–2.5–5 steps on linear axes and decades on log axes.
public enum Ticks {
    /// The nice step (1, 2, 2.5 or 5 × 10ᵏ) closest to dividing `span` into about `targetCount` parts.
    public static func niceStep(span: Double, targetCount: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(Swift.max(targetCount, 1))
        let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        let normalized = raw / magnitude
        let nice: Double
        if normalized < 1.5 {
            nice = 1
        } else if normalized < 2.25 {
            nice = 2
        } else if normalized < 3.5 {
            nice = 2.5
        } else if normalized < 7.5 {
            nice = 5
        } else {
            nice = 10
        }
        return nice * magnitude
    }

    /// Labelled ticks at multiples of a nice step inside `range` (about `targetCount` of them).
    static func linear(in range: ClosedRange<Double>, targetCount: Int = 5) -> [Tick] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else {
            guard range.lowerBound.isFinite, range.upperBound.isFinite else { return [] }
            return [
                Tick(value: range.lowerBound, label: label(range.lowerBound, step: Swift.max(Swift.abs(range.lowerBound), 1)))
            ]
        }
        let step = niceStep(span: span, targetCount: targetCount)
        let tolerance = step * 1e-9
        let first = Int(Foundation.ceil((range.lowerBound - tolerance) / step))
        let last = Int(Foundation.floor((range.upperBound + tolerance) / step))
        guard last >= first else { return [] }
        // One format for the whole axis, decided by its largest value and its step.
        let largest = Swift.max(Swift.abs(range.lowerBound), Swift.abs(range.upperBound))
        let scientific = usesScientific(magnitude: largest, step: step)
        // k · step is inexact (19 × 0.05 = 0.9500000000000001); round to the step's decimals.
        let scale = Foundation.pow(10, Double(Swift.min(decimalsFor(step: step), 15)))
        return (first...last).map { k in
            var value = (Double(k) * step * scale).rounded() / scale
            if Swift.abs(value) < tolerance { value = 0 }
            return Tick(value: value, label: label(value, step: step, scientific: scientific))
        }
    }

    private static func usesScientific(magnitude: Double, step: Double) -> Bool {
        magnitude >= 1e5 || (step < 1e-3 && magnitude < 1e-2)
    }

    /// Ticks on a log axis over a positive `range`: labelled decades 10ᵏ (every n-th decade when
    /// there are more than `maxLabels`) with unlabelled minor ticks at 2…9 × 10ᵏ; over less than a
    /// decade, labelled 1–2–5 ticks, or nice linear ticks if those are too few.
    static func log(in range: ClosedRange<Double>, maxLabels: Int = 8) -> [Tick] {
        guard range.lowerBound > 0, range.upperBound > range.lowerBound, range.upperBound.isFinite else {
            return linear(in: range)
        }
        let lowExponent = Foundation.log10(range.lowerBound)
        let highExponent = Foundation.log10(range.upperBound)
        let firstDecade = Int(Foundation.ceil(lowExponent - 1e-9))
        let lastDecade = Int(Foundation.floor(highExponent + 1e-9))
        let decadeCount = lastDecade - firstDecade + 1
        let inRange = { (value: Double) in
            value >= range.lowerBound * (1 - 1e-9) && value <= range.upperBound * (1 + 1e-9)
        }

        if decadeCount >= 2 {
            let stride = Swift.max(1, Int(Foundation.ceil(Double(decadeCount) / Double(Swift.max(maxLabels, 1)))))
            var ticks: [Tick] = []
            for exponent in (firstDecade - 1)...lastDecade {
                let decade = Foundation.pow(10, Double(exponent))
                if exponent >= firstDecade, (exponent - firstDecade) % stride == 0 {
                    ticks.append(Tick(value: decade, label: TickLabel("10", exponent: minusSigned(exponent))))
                } else if exponent >= firstDecade {
                    ticks.append(Tick(value: decade, label: nil))
                }
                if stride == 1 {
                    for multiple in 2...9 {
                        let value = Double(multiple) * decade
                        if inRange(value) { ticks.append(Tick(value: value, label: nil)) }
                    }
                }
            }
            return ticks
        }

        // Less than two decades: 1-2-5 (or 1-2-3-5) multiples of each decade.
        for multiples in [[1.0, 2, 5], [1.0, 2, 3, 5, 7], [1.0, 1.5, 2, 3, 4, 5, 6, 7, 8, 9]] {
            var values: [Double] = []
            for exponent in (firstDecade - 1)...(lastDecade + 1) {
                for multiple in multiples {
                    let value = multiple * Foundation.pow(10, Double(exponent))
                    if inRange(value) { values.append(value) }
                }
            }
            if values.count >= 3 {
                return values.map { Tick(value: $0, label: logLabel($0)) }
            }
        }
        return linear(in: range, targetCount: 4)
    }

    /// The label of a linear tick at `value` on an axis with tick spacing `step`: as many decimals as
    /// the step needs; ×10ᵏ form for very large or very small values.
    static func label(_ value: Double, step: Double) -> TickLabel {
        label(value, step: step, scientific: usesScientific(magnitude: Swift.max(Swift.abs(value), Swift.abs(step)), step: step))
    }

    static func label(_ value: Double, step: Double, scientific useScientific: Bool) -> TickLabel {
        if useScientific {
            return value == 0 ? TickLabel("0") : scientific(value)
        }
        let decimals = decimalsFor(step: step)
        // `value == 0` also catches −0, which would print as "-0.0".
        return TickLabel(minusSigned(String(format: "%.\(decimals)f", value == 0 ? 0 : value)))
    }

    /// Decimals needed to print multiples of `step` exactly (0.25 → 2, 5 → 0, 0.1 → 1).
    static func decimalsFor(step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        for decimals in 0...10 {
            let scaled = step * Foundation.pow(10, Double(decimals))
            if Swift.abs(scaled - scaled.rounded()) < 1e-6 * Swift.max(scaled, 1) { return decimals }
        }
        return 10
    }

    private static func scientific(_ value: Double) -> TickLabel {
        let exponent = Int(Foundation.floor(Foundation.log10(Swift.abs(value))))
        let mantissa = value / Foundation.pow(10, Double(exponent))
        // As many decimals as this mantissa needs (1.5×10⁵, 2×10⁵), at most 3.
        let decimals = Swift.min(decimalsFor(step: Swift.abs(mantissa)), 3)
        var text = String(format: "%.\(decimals)f", mantissa)
        if text == "1" || text == "-1" {
            text = text == "1" ? "10" : "−10"
        } else {
            text = minusSigned(text) + "×10"
        }
        return TickLabel(text, exponent: minusSigned(exponent))
    }

    private static func logLabel(_ value: Double) -> TickLabel {
        if value >= 1e-3 && value < 1e5 {
            return TickLabel(String(format: "%.\(decimalsFor(step: value))f", value))
        }
        return scientific(value)
    }

    /// An integer exponent with the typographic minus sign (−3, not -3).
    public static func minusSigned(_ exponent: Int) -> String { minusSigned(String(exponent)) }

    /// Replaces a leading hyphen by the typographic minus sign.
    public static func minusSigned(_ text: String) -> String {
        text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }
}
