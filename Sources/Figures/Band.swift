/// A filled band between a lower and an upper curve: per bin over edges (steps) or through points.
public struct Band: Sendable, Equatable {
    /// How the band runs between its x values.
    public enum Shape: Sendable, Equatable {
        /// Constant over each bin; `x` are the `low.count + 1` bin edges.
        case steps
        /// Straight lines between points; `x` has `low.count` values.
        case linear
    }

    /// Bin edges (`.steps`) or point positions (`.linear`).
    public var x: [Double]
    /// Lower bound per bin or point.
    public var low: [Double]
    /// Upper bound per bin or point.
    public var high: [Double]
    /// Steps over bins or straight lines through points.
    public var shape: Shape
    /// Legend label; nil leaves the item out of the legend.
    public var label: String?
    /// Fill or line colour.
    public var color: Color
    /// Fill opacity, 0…1.
    public var opacity: Double

    /// A band; non-finite bounds leave a gap. Counts must match `shape` (a programmer error otherwise;
    /// it traps).
    public init(
        x: [Double], low: [Double], high: [Double], shape: Shape = .steps, label: String? = nil,
        color: Color = Color(hex: 0xBBBBBB), opacity: Double = 0.6
    ) {
        precondition(low.count == high.count, "low and high need one count")
        precondition(
            x.count == low.count + (shape == .steps ? 1 : 0),
            "x needs \(low.count + (shape == .steps ? 1 : 0)) values for \(shape)")
        self.x = x
        self.low = low
        self.high = high
        self.shape = shape
        self.label = label
        self.color = color
        self.opacity = opacity
    }
}

/// A horizontal line across the panel (the 1 of a ratio panel).
public struct ReferenceLine: Sendable, Equatable {
    /// The line's height in data units.
    public var y: Double
    /// Fill or line colour.
    public var color: Color
    /// Dash pattern.
    public var dash: Dash
    /// Stroke width in px.
    public var lineWidth: Double
    /// Legend label; nil leaves the item out of the legend.
    public var label: String?

    public init(y: Double, color: Color = Color(hex: 0x404040), dash: Dash = .dashed, lineWidth: Double = 1, label: String? = nil)
    {
        self.y = y
        self.color = color
        self.dash = dash
        self.lineWidth = lineWidth
        self.label = label
    }
}
