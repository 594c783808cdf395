import Figures
import Foundation

/// A table of results given by the caller (metric rows × sample columns, or any other layout),
/// rendered as HTML in the report or as Markdown.
public struct SummaryTable: Sendable, Equatable {
    /// One cell: text, or a number formatted on output.
    public enum Cell: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
        case text(String)
        /// A number with fixed decimals, or 4 significant digits when `decimals` is nil; NaN prints "n/a".
        case number(Double, decimals: Int?)
        /// "value ± uncertainty" with fixed decimals (FPD, KPD, AUC over runs).
        case measurement(Double, uncertainty: Double, decimals: Int)
        /// A number the caller already formatted (right-aligned like numbers; "—" for undefined).
        case formatted(String)

        public init(stringLiteral value: String) { self = .text(value) }
        public init(floatLiteral value: Double) { self = .number(value, decimals: nil) }
        public init(integerLiteral value: Int) { self = .number(Double(value), decimals: 0) }

        /// The cell as displayed.
        public var text: String {
            switch self {
            case .text(let text), .formatted(let text): return text
            case .number(let value, let decimals): return Self.format(value, decimals: decimals)
            case .measurement(let value, let uncertainty, let decimals):
                return "\(Self.format(value, decimals: decimals)) ± \(Self.format(uncertainty, decimals: decimals))"
            }
        }

        /// Whether the cell is numeric (right-aligned).
        public var isNumeric: Bool {
            if case .text = self { return false }
            return true
        }

        static func format(_ value: Double, decimals: Int?) -> String {
            guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "inf" : "-inf") }
            if let decimals { return String(format: "%.\(Swift.max(decimals, 0))f", value) }
            if value == 0 { return "0" }
            let magnitude = abs(value)
            if magnitude >= 1e-3 && magnitude < 1e6 {
                // 4 significant digits without an exponent.
                let digits = Swift.max(0, 3 - Int(floor(log10(magnitude))))
                return String(format: "%.\(digits)f", value)
            }
            return String(format: "%.3e", value)
        }
    }

    /// Column headers.
    public var headers: [String]
    /// Rows of cells; a short row is padded with empty cells.
    public var rows: [[Cell]]

    public init(headers: [String], rows: [[Cell]]) {
        self.headers = headers
        self.rows = rows
    }

    var columnCount: Int { Swift.max(headers.count, rows.map(\.count).max() ?? 0) }

    func cell(_ row: Int, _ column: Int) -> Cell {
        column < rows[row].count ? rows[row][column] : .text("")
    }

    /// Whether every non-empty cell of `column` is numeric.
    func isNumericColumn(_ column: Int) -> Bool {
        let cells = rows.indices.map { cell($0, column) }.filter { $0.text != "" }
        return !cells.isEmpty && cells.allSatisfy(\.isNumeric)
    }

    /// A GitHub-flavoured Markdown table with padded columns; numeric columns are right-aligned and
    /// `|` in cells is escaped.
    public func markdown() -> String {
        let columns = columnCount
        guard columns > 0 else { return "" }
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
        }
        let header = (0..<columns).map { escaped($0 < headers.count ? headers[$0] : "") }
        let body = rows.indices.map { row in (0..<columns).map { escaped(cell(row, $0).text) } }
        let numeric = (0..<columns).map(isNumericColumn)
        let widths = (0..<columns).map { column in
            Swift.max(3, ([header[column]] + body.map { $0[column] }).map(\.count).max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, text -> String in
                let padding = String(repeating: " ", count: widths[column] - text.count)
                return numeric[column] ? padding + text : text + padding
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = (0..<columns).map { column in
            numeric[column]
                ? String(repeating: "-", count: widths[column] - 1) + ":" : String(repeating: "-", count: widths[column])
        }
        return ([line(header), "| " + rule.joined(separator: " | ") + " |"] + body.map(line)).joined(separator: "\n") + "\n"
    }

    /// The table as an HTML `<table>` (XHTML-compatible).
    func html() -> String {
        let columns = columnCount
        let numeric = (0..<columns).map(isNumericColumn)
        var lines = ["<table>", "<thead><tr>"]
        lines.append((0..<columns).map { "<th>\(SVGText.escaped($0 < headers.count ? headers[$0] : ""))</th>" }.joined())
        lines.append("</tr></thead>")
        lines.append("<tbody>")
        for row in rows.indices {
            let cells = (0..<columns).map { column -> String in
                let text = SVGText.escaped(cell(row, column).text)
                return numeric[column] || cell(row, column).isNumeric ? "<td class=\"num\">\(text)</td>" : "<td>\(text)</td>"
            }
            lines.append("<tr>" + cells.joined() + "</tr>")
        }
        lines.append("</tbody>")
        lines.append("</table>")
        return lines.joined(separator: "\n")
    }
}
