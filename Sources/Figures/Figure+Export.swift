import Foundation

/// When `Figure.save` writes a PNG beside the SVG.
public enum PNGExport: Sendable, Equatable {
    /// SVG only.
    case never
    /// PNG too when the rasterizer is installed; otherwise `SavedFigure.pngSkipped` says why not.
    case ifAvailable
    /// PNG too; throws ``FigureError/rasterizerMissing(executable:)`` when the rasterizer is not installed.
    case required
}

/// The files `Figure.save` wrote.
public struct SavedFigure: Sendable, Equatable {
    /// The SVG file (always written).
    public var svg: URL
    /// The PNG file, when one was written.
    public var png: URL?
    /// Why no PNG was written under `.ifAvailable` (the missing-tool message), else nil.
    public var pngSkipped: String?
    /// The figure's size in px, for `<img>` tags.
    public var width: Double
    /// Height in px.
    public var height: Double

    /// The SVG's file name, for links relative to the output directory.
    public var svgFileName: String { svg.lastPathComponent }
}

extension Figure {
    /// Writes the SVG to `url` atomically (temporary file, then rename).
    public func writeSVG(to url: URL, idPrefix: String = "fig") throws {
        try AtomicFile.write(svg(idPrefix: idPrefix), to: url)
    }

    /// Writes `<name>.svg` into `directory` and, as `png` asks, `<name>.png` beside it.
    @discardableResult
    public func save(in directory: URL, name: String, png: PNGExport = .ifAvailable, rasterizer: SVGRasterizer = SVGRasterizer())
        throws -> SavedFigure
    {
        let svgURL = directory.appendingPathComponent("\(name).svg")
        try writeSVG(to: svgURL)
        var saved = SavedFigure(svg: svgURL, png: nil, pngSkipped: nil, width: width, height: height)
        switch png {
        case .never:
            break
        case .ifAvailable where !rasterizer.isAvailable:
            saved.pngSkipped = FigureError.rasterizerMissing(executable: rasterizer.executable).description
        case .ifAvailable, .required:
            let pngURL = directory.appendingPathComponent("\(name).png")
            try rasterizer.convert(svg: svgURL, to: pngURL)
            saved.png = pngURL
        }
        return saved
    }
}
