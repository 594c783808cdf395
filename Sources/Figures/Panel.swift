/// One set of axes in a figure, with the items drawn in it.
public struct Panel: Sendable, Equatable {
    /// Title above the panel.
    public var title: String?
    /// The horizontal axis.
    public var xAxis: Axis
    /// The vertical axis.
    public var yAxis: Axis
    /// What is drawn, in order (later on top).
    public var items: [PlotItem]
    /// Where the legend of the labelled items goes.
    public var legend: LegendPlacement
    /// A colour bar to the right of this panel.
    public var colorBar: ColorScale?
    /// Whether the frame, ticks and tick labels are drawn (off for polar images; axis titles still
    /// appear, as captions).
    public var showsAxes: Bool

    public init(
        title: String? = nil, xAxis: Axis = Axis(), yAxis: Axis = Axis(), items: [PlotItem] = [],
        legend: LegendPlacement = .auto, colorBar: ColorScale? = nil, showsAxes: Bool = true
    ) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.items = items
        self.legend = legend
        self.colorBar = colorBar
        self.showsAxes = showsAxes
    }

    /// Appends an item (drawn above the ones before it).
    public mutating func add(_ item: PlotItem) { items.append(item) }
}
