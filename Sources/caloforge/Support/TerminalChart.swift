/// Horizontal bar charts for the terminal, drawn with Unicode block elements in eighths.
enum TerminalChart {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar of `value / maximum · width` cells, padded to `width`.
    static func bar(_ value: Double, maximum: Double, width: Int) -> String {
        guard maximum > 0, value.isFinite, value > 0 else { return String(repeating: " ", count: width) }
        let cells = Swift.min(value / maximum, 1) * Double(width)
        let full = Int(cells.rounded(.down))
        let rest = Int(((cells - Double(full)) * 8).rounded(.down))
        var text = String(repeating: "█", count: full)
        if full < width { text += eighths[rest] }
        let visible = full + (full < width && rest > 0 ? 1 : 0)
        return text + String(repeating: " ", count: Swift.max(0, width - visible))
    }

    /// Rows `label │bar│ annotation`, labels right-aligned, bars scaled to the largest value.
    static func rows(_ entries: [(label: String, value: Double, annotation: String)], width: Int = 32, indent: String = "  ")
        -> [String]
    {
        let maximum = entries.map(\.value).filter(\.isFinite).max() ?? 0
        let labelWidth = entries.map(\.label.count).max() ?? 0
        return entries.map { entry in
            let padded = String(repeating: " ", count: labelWidth - entry.label.count) + entry.label
            return "\(indent)\(padded) │\(bar(entry.value, maximum: maximum, width: width))│ \(entry.annotation)"
        }
    }
}
