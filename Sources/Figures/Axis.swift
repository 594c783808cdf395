import Foundation

/// One axis of a panel: title, scale, optional fixed range, optional category labels.
public struct Axis: Sendable, Equatable {
    /// Axis title; `_{…}` and `^{…}` write subscripts and superscripts ("E_{dep} / E_{inc}").
    public var title: String
    /// Linear or logarithmic.
    public var scale: AxisScale
    /// Fixed range; nil fits the data (histograms start at 0 on a linear y axis).
    public var range: ClosedRange<Double>?
    /// Category labels at positions 0, 1, …, n − 1 (layer ids); replaces numeric ticks.
    public var categories: [String]?
    /// Whether tick labels are drawn (off for the upper panel of a histogram with a ratio panel).
    public var showsTickLabels: Bool

    public init(
        title: String = "", scale: AxisScale = .linear, range: ClosedRange<Double>? = nil, categories: [String]? = nil,
        showsTickLabels: Bool = true
    ) {
        self.title = title
        self.scale = scale
        self.range = range
        self.categories = categories
        self.showsTickLabels = showsTickLabels
    }
}

/// Where a panel draws its legend.
public enum LegendPlacement: Sendable, Equatable {
    /// Top right or top left, whichever hides less data; the y range grows to make room.
    case auto
    case topRight, topLeft, bottomRight, bottomLeft
    case hidden
}

/// Line dash patterns.
public enum Dash: Sendable, Equatable {
    case solid, dashed, dotted

    var attribute: String? {
        switch self {
        case .solid: return nil
        case .dashed: return "6 3"
        case .dotted: return "1.5 2.5"
        }
    }
}

/// Point markers of a line series.
public enum Marker: Sendable, Equatable {
    case none, circle, square, triangle, diamond
}
