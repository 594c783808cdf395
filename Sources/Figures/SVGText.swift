import Foundation

/// Text helpers shared by the SVG and HTML writers: escaping, deterministic number formatting and
/// a width estimate for layout.
public enum SVGText {
    /// Escapes `&`, `<`, `>`, `"` and `'` for XML text and attribute values.
    public static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default:
                // XML 1.0 forbids most control characters, even escaped.
                if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                    scalar.value < 0x20, scalar != "\n", scalar != "\t", scalar != "\r"
                {
                    continue
                }
                result.append(character)
            }
        }
        return result
    }

    /// A coordinate with at most two decimals, no trailing zeros and no "-0": the same Double always
    /// gives the same text, independent of locale.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let scaled = (value * 100).rounded()
        guard Swift.abs(scaled) < 1e15 else { return String(format: "%.0f", value) }
        // Integer arithmetic: much faster than String(format:) for the thousands of coordinates of
        // a shower image, and exact.
        let hundredths = Int(scaled)
        if hundredths == 0 { return "0" }
        let magnitude = Swift.abs(hundredths)
        var text = hundredths < 0 ? "-" : ""
        text += String(magnitude / 100)
        let fraction = magnitude % 100
        if fraction != 0 {
            text += fraction < 10 ? ".0\(fraction)" : (fraction % 10 == 0 ? ".\(fraction / 10)" : ".\(fraction)")
        }
        return text
    }

    /// Estimated advance width of `text` in px at `fontSize`, from DejaVu Sans advance widths (the
    /// sans-serif font rsvg-convert finds on Debian; browsers' Helvetica/Arial are narrower, so
    /// this errs wide).
    static func width(_ text: String, fontSize: Double) -> Double {
        var em = 0.0
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value < 0x7F {
                em += asciiWidths[Int(scalar.value) - 0x20]
            } else {
                switch scalar {
                case "×", "±", "−", "≤", "≥", "≠", "≈": em += 0.838
                case "⟨", "⟩": em += 0.39
                case "\u{00A0}": em += 0.318
                default: em += 0.65
                }
            }
        }
        return em * fontSize
    }

    /// DejaVu Sans advance widths in em for U+0020…U+007E, 16 per row (space…/, 0…?, @…O, P…_, `…o, p…~).
    private static let asciiWidths: [Double] = [
        0.318, 0.401, 0.460, 0.838, 0.636, 0.950, 0.780, 0.275, 0.390, 0.390, 0.500, 0.838, 0.318, 0.361, 0.318, 0.337,
        0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.337, 0.337, 0.838, 0.838, 0.838, 0.531,
        1.000, 0.684, 0.686, 0.698, 0.770, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.863, 0.748, 0.787,
        0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685, 0.390, 0.337, 0.390, 0.838, 0.500,
        0.500, 0.613, 0.635, 0.550, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612,
        0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838,
    ]
}

/// A short label with optional `_{subscript}` and `^{superscript}` parts, as HEP axis titles need
/// ("E_{dep} / E_{inc}", "10^{3}"). Only the braced forms are markup, so a plain underscore in a
/// file name stays as it is.
struct RichText: Equatable {
    enum Baseline { case normal, sub, sup }
    struct Segment: Equatable {
        var text: String
        var baseline: Baseline
    }

    var segments: [Segment]

    init(_ source: String) {
        var segments: [Segment] = []
        var current = ""
        var index = source.startIndex
        while index < source.endIndex {
            let character = source[index]
            let next = source.index(after: index)
            if character == "_" || character == "^", next < source.endIndex, source[next] == "{",
                let close = source[next...].firstIndex(of: "}")
            {
                if !current.isEmpty { segments.append(Segment(text: current, baseline: .normal)) }
                current = ""
                let inner = String(source[source.index(after: next)..<close])
                segments.append(Segment(text: inner, baseline: character == "_" ? .sub : .sup))
                index = source.index(after: close)
                continue
            }
            current.append(character)
            index = next
        }
        if !current.isEmpty { segments.append(Segment(text: current, baseline: .normal)) }
        self.segments = segments
    }

    init(segments: [Segment]) { self.segments = segments }

    /// The text without markup (for widths in tests and for the HTML report).
    var plain: String { segments.map(\.text).joined() }

    /// Whether the text needs `<tspan>`s.
    var hasMarkup: Bool { segments.contains { $0.baseline != .normal } }

    func width(fontSize: Double) -> Double {
        segments.reduce(0) { $0 + SVGText.width($1.text, fontSize: $1.baseline == .normal ? fontSize : fontSize * 0.75) }
    }

    /// The escaped content of a `<text>` element: plain text, or `<tspan>`s that shift the baseline
    /// by absolute `dy` offsets (relative `em` units differ between renderers inside shrunken spans).
    /// Text with spans needs `xml:space="preserve"`: rsvg-convert drops the space that starts a span
    /// with a `dy` otherwise.
    func svgContent(fontSize: Double) -> String {
        if segments.allSatisfy({ $0.baseline == .normal }) { return SVGText.escaped(plain) }
        var result = ""
        var shift = 0.0
        for segment in segments {
            let text = SVGText.escaped(segment.text)
            let target: Double
            switch segment.baseline {
            case .normal: target = 0
            case .sub: target = 0.3 * fontSize
            case .sup: target = -0.45 * fontSize
            }
            let dy = target - shift
            shift = target
            var attributes = ""
            if dy != 0 { attributes += " dy=\"\(SVGText.number(dy))\"" }
            if segment.baseline != .normal { attributes += " font-size=\"\(SVGText.number(fontSize * 0.75))\"" }
            result += attributes.isEmpty ? text : "<tspan\(attributes)>\(text)</tspan>"
        }
        return result
    }
}
