/// A filled band between a lower and an upper curve: per bin over edges (steps) or through points.
public struct Band: Sendable, Equatable {
    public enum Shape: Sendable, Equatable {
        /// Constant over each bin; `x` are the `low.count + 1` bin edges.
        case steps
        /// Straight lines between points; `x` has `low.count` values.
        case linear
    }

    public var x: [Double]
    public var low: [Double]
    public var high: [Double]
    public var shape: Shape
    public var label: String?
    public var color: Color
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
    public var y: Double
    public var color: Color
    public var dash: Dash
    public var lineWidth: Double
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
