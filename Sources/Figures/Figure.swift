import Foundation

/// A figure: panels on a grid, a title and an optional shared colour bar, rendered to SVG.
///
/// Rendering is deterministic: the same figure gives byte-identical SVG. Sizes are in px
/// (CSS pixels); 640 × 480 is the size everything is tuned to be readable at.
public struct Figure: Sendable, Equatable {
    /// Width in px.
    public var width: Double
    /// Height in px.
    public var height: Double
    /// Title across the top; `_{…}`/`^{…}` markup allowed.
    public var title: String?
    /// Panels in row-major order.
    public var panels: [Panel]
    /// Panels per row (at least 1).
    public var columns: Int
    /// Relative row heights (one per row); nil for equal rows. A histogram with a ratio panel
    /// uses `[3, 1]`.
    public var rowWeights: [Double]?
    /// A colour bar at the right edge shared by all panels.
    public var colorBar: ColorScale?

    public init(
        width: Double = 640, height: Double = 480, title: String? = nil, panels: [Panel], columns: Int = 1,
        rowWeights: [Double]? = nil, colorBar: ColorScale? = nil
    ) {
        self.width = width
        self.height = height
        self.title = title
        self.panels = panels
        self.columns = Swift.max(columns, 1)
        self.rowWeights = rowWeights
        self.colorBar = colorBar
    }

    /// The number of panel rows.
    public var rows: Int { (panels.count + columns - 1) / columns }

    /// The figure as a standalone SVG document. `idPrefix` makes the clip-path ids unique when several
    /// figures are inlined into one HTML page.
    public func svg(idPrefix: String = "fig") -> String {
        FigureRenderer(figure: self, idPrefix: idPrefix).render()
    }
}
