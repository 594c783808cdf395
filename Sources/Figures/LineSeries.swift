/// Points joined by a line and/or drawn as markers, with optional symmetric error bars.
public struct LineSeries: Sendable, Equatable {
    /// Point positions along x.
    public var x: [Double]
    /// Point values; non-finite ones are skipped.
    public var y: [Double]
    /// Half-lengths of vertical error bars (same count as `y`), or nil.
    public var yErrors: [Double]?
    /// Half-lengths of horizontal error bars (same count as `x`), or nil.
    public var xErrors: [Double]?
    /// Legend label; nil leaves the series out of the legend.
    public var label: String?
    /// Line, marker and error-bar colour.
    public var color: Color
    /// Stroke width in px.
    public var lineWidth: Double
    /// Dash pattern of the line.
    public var dash: Dash
    /// Whether the points are joined; non-finite points break the line.
    public var drawsLine: Bool
    /// Marker drawn at each point.
    public var marker: Marker
    /// Marker radius in px.
    public var markerSize: Double

    /// A series; `x`, `y` and the error arrays have one count (a programmer error otherwise; it traps).
    public init(
        x: [Double], y: [Double], yErrors: [Double]? = nil, xErrors: [Double]? = nil, label: String? = nil,
        color: Color = .black, lineWidth: Double = 1.5, dash: Dash = .solid, drawsLine: Bool = true,
        marker: Marker = .none, markerSize: Double = 3.5
    ) {
        precondition(x.count == y.count, "x and y need one count, got \(x.count) and \(y.count)")
        precondition(yErrors.map { $0.count == y.count } ?? true, "yErrors needs \(y.count) values")
        precondition(xErrors.map { $0.count == x.count } ?? true, "xErrors needs \(x.count) values")
        self.x = x
        self.y = y
        self.yErrors = yErrors
        self.xErrors = xErrors
        self.label = label
        self.color = color
        self.lineWidth = lineWidth
        self.dash = dash
        self.drawsLine = drawsLine
        self.marker = marker
        self.markerSize = markerSize
    }
}
