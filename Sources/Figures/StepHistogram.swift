/// A histogram drawn as a step outline over bin edges, optionally filled (the reference in HEP
/// plots is a filled grey histogram, models are coloured outlines).
public struct StepHistogram: Sendable, Equatable {
    /// Bin edges, strictly increasing; `values.count + 1` of them.
    public var edges: [Double]
    /// One value per bin (density or mean); non-finite values are drawn as 0.
    public var values: [Double]
    /// Legend label; nil leaves the histogram out of the legend.
    public var label: String?
    /// Outline colour.
    public var color: Color
    /// Fill colour; nil for an outline only.
    public var fill: Color?
    /// Outline width in px.
    public var lineWidth: Double
    /// Outline dash pattern.
    public var dash: Dash

    /// A histogram; `edges.count == values.count + 1` (a programmer error otherwise; it traps).
    public init(
        edges: [Double], values: [Double], label: String? = nil, color: Color = .black, fill: Color? = nil,
        lineWidth: Double = 1.5, dash: Dash = .solid
    ) {
        precondition(
            edges.count == values.count + 1,
            "a histogram needs values.count + 1 edges, got \(edges.count) edges for \(values.count) values")
        self.edges = edges
        self.values = values
        self.label = label
        self.color = color
        self.fill = fill
        self.lineWidth = lineWidth
        self.dash = dash
    }
}
