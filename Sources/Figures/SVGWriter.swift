import Foundation

/// A rectangle in px, y growing downwards.
struct Rect: Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var maxX: Double { x + width }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }
}

/// Accumulates SVG elements as text with a fixed attribute order, so output is deterministic.
struct SVGWriter {
    private(set) var lines: [String] = []
    private var depth = 0

    static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

    private static func n(_ value: Double) -> String { SVGText.number(value) }

    mutating func raw(_ line: String) {
        lines.append(String(repeating: "  ", count: depth) + line)
    }

    mutating func open(_ tag: String, _ attributes: String = "") {
        raw("<\(tag)\(attributes.isEmpty ? "" : " " + attributes)>")
        depth += 1
    }

    mutating func close(_ tag: String) {
        depth -= 1
        raw("</\(tag)>")
    }

    static func stroke(_ color: Color?, width: Double = 1, dash: Dash = .solid) -> String {
        guard let color else { return "stroke=\"none\"" }
        var text = "stroke=\"\(color.hexString)\" stroke-width=\"\(n(width))\""
        if let pattern = dash.attribute { text += " stroke-dasharray=\"\(pattern)\"" }
        return text
    }

    static func fill(_ color: Color?, opacity: Double = 1) -> String {
        guard let color else { return "fill=\"none\"" }
        return opacity < 1 ? "fill=\"\(color.hexString)\" fill-opacity=\"\(n(opacity))\"" : "fill=\"\(color.hexString)\""
    }

    mutating func rect(
        _ r: Rect, fill: Color?, stroke: Color? = nil, strokeWidth: Double = 1, opacity: Double = 1, extra: String = ""
    ) {
        raw(
            "<rect x=\"\(Self.n(r.x))\" y=\"\(Self.n(r.y))\" width=\"\(Self.n(Swift.max(r.width, 0)))\" height=\"\(Self.n(Swift.max(r.height, 0)))\" "
                + Self.fill(fill, opacity: opacity) + (stroke == nil ? "" : " " + Self.stroke(stroke, width: strokeWidth))
                + (extra.isEmpty ? "" : " " + extra) + "/>")
    }

    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, color: Color, width: Double = 1, dash: Dash = .solid, extra: String = ""
    ) {
        raw(
            "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" \(Self.stroke(color, width: width, dash: dash))\(extra.isEmpty ? "" : " " + extra)/>"
        )
    }

    mutating func path(
        _ d: String, fill: Color?, fillOpacity: Double = 1, stroke: Color?, strokeWidth: Double = 1, dash: Dash = .solid,
        extra: String = ""
    ) {
        guard !d.isEmpty else { return }
        raw(
            "<path d=\"\(d)\" \(Self.fill(fill, opacity: fillOpacity)) \(Self.stroke(stroke, width: strokeWidth, dash: dash))\(extra.isEmpty ? "" : " " + extra)/>"
        )
    }

    enum Anchor: String { case start, middle, end }

    /// A text element; `rotation` in degrees about (x, y).
    mutating func text(
        _ content: RichText, x: Double, y: Double, size: Double, anchor: Anchor = .start, rotation: Double = 0,
        color: Color = .black, weight: String? = nil, extra: String = ""
    ) {
        var attributes = "x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\""
        if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
        if rotation != 0 { attributes += " transform=\"rotate(\(Self.n(rotation)) \(Self.n(x)) \(Self.n(y)))\"" }
        if color != .black { attributes += " fill=\"\(color.hexString)\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if !extra.isEmpty { attributes += " " + extra }
        if content.hasMarkup { attributes += " xml:space=\"preserve\"" }
        raw("<text \(attributes)>\(content.svgContent(fontSize: size))</text>")
    }

    mutating func text(
        _ content: String, x: Double, y: Double, size: Double, anchor: Anchor = .start, rotation: Double = 0,
        color: Color = .black, weight: String? = nil, extra: String = ""
    ) {
        text(
            RichText(content), x: x, y: y, size: size, anchor: anchor, rotation: rotation, color: color, weight: weight,
            extra: extra)
    }

    /// Path data from points: "M x y L x y …"; a nil point starts a new subpath.
    static func polyline(_ points: [(Double, Double)?]) -> String {
        var parts: [String] = []
        var penDown = false
        for point in points {
            guard let (x, y) = point, x.isFinite, y.isFinite else {
                penDown = false
                continue
            }
            parts.append("\(penDown ? "L" : "M")\(n(x)) \(n(y))")
            penDown = true
        }
        return parts.joined(separator: " ")
    }

    func document(width: Double, height: Double) -> String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" "
        text += "viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" font-family=\"\(Self.fontFamily)\">\n"
        text += lines.joined(separator: "\n")
        text += "\n</svg>\n"
        return text
    }
}
