import Figures
import Foundation

/// A figure in the report: an SVG file next to `report.html`, or a figure inlined into the page.
public struct ReportFigure: Sendable, Equatable {
    /// Where the figure's SVG comes from.
    public enum Source: Sendable, Equatable {
        /// A path relative to the report's directory ("etot_einc.svg").
        case file(String)
        /// The figure's SVG written into the page.
        case inline(Figure)
    }

    /// A linked file or an inlined figure.
    public var source: Source
    /// Caption under the figure (also its alt text).
    public var caption: String
    /// Display width in px (the figure's own width); nil lets the page decide.
    public var width: Double?

    public init(source: Source, caption: String, width: Double? = nil) {
        self.source = source
        self.caption = caption
        self.width = width
    }

    /// A figure saved by `Figure.save(in:name:)` into the report's directory.
    public init(_ saved: SavedFigure, caption: String) {
        self.init(source: .file(saved.svgFileName), caption: caption, width: saved.width)
    }

    /// A figure inlined into the page.
    public init(inline figure: Figure, caption: String) {
        self.init(source: .inline(figure), caption: caption, width: figure.width)
    }
}

/// One `name: value` line of the report's inputs (files, dataset, threshold, versions).
public struct ReportInput: Sendable, Equatable {
    /// What the input is ("reference", "submission", "dataset").
    public var name: String
    /// Its value (a path, a name, a number).
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A titled set of figures inside a section, shown under a disclosure triangle (an HTML
/// `<details>` element), closed when `isCollapsed`: the per-layer histograms of ds2 and ds3.
public struct ReportFigureGroup: Sendable, Equatable {
    /// The line shown next to the triangle; the figure count is appended.
    public var title: String
    /// Figures of the group, in order.
    public var figures: [ReportFigure]
    /// Whether the group starts closed.
    public var isCollapsed: Bool

    public init(title: String, figures: [ReportFigure], isCollapsed: Bool = false) {
        self.title = title
        self.figures = figures
        self.isCollapsed = isCollapsed
    }
}

/// A titled group of figures, with optional text and tables.
public struct ReportSection: Sendable, Equatable {
    /// The section heading.
    public var title: String
    /// A paragraph shown under the title.
    public var text: String?
    /// Tables shown under the text.
    public var tables: [SummaryTable]
    /// Figures of the section, in order.
    public var figures: [ReportFigure]
    /// Further figures in groups after `figures`.
    public var groups: [ReportFigureGroup]

    public init(
        title: String, text: String? = nil, tables: [SummaryTable] = [], figures: [ReportFigure] = [],
        groups: [ReportFigureGroup] = []
    ) {
        self.title = title
        self.text = text
        self.tables = tables
        self.figures = figures
        self.groups = groups
    }

    /// Every figure of the section, groups included, in page order.
    public var allFigures: [ReportFigure] { figures + groups.flatMap(\.figures) }
}

/// The evaluation report: a single `report.html` with the title, the headlines, the inputs, the summary table
/// and every figure in sections, with a small built-in style sheet. The page is well-formed XML
/// (XHTML syntax), so tests can parse it; it only links to or inlines the figures.
public struct HTMLReport: Sendable, Equatable {
    /// The page title and top heading.
    public var title: String
    /// A line under the title (tool version, date); the report adds no time stamps itself, so the
    /// same report is byte-identical.
    public var subtitle: String?
    /// The headline, shown first: per generated file a title, a table and a one-line reading (the
    /// section's `text`, shown under its tables).
    public var headlines: [ReportSection]
    /// A paragraph under the headlines (what their columns mean).
    public var headlineText: String?
    /// The "Inputs" list: files, dataset, threshold, versions.
    public var inputs: [ReportInput]
    /// The summary table of every metric, after the inputs.
    public var summary: SummaryTable?
    /// A paragraph under the summary table (what the numbers mean).
    public var summaryText: String?
    /// Warnings about the inputs, listed after them.
    public var warnings: [String]
    /// Figure sections, in page order.
    public var sections: [ReportSection]

    public init(
        title: String, subtitle: String? = nil, headlines: [ReportSection] = [], headlineText: String? = nil,
        inputs: [ReportInput] = [], summary: SummaryTable? = nil, summaryText: String? = nil, warnings: [String] = [],
        sections: [ReportSection] = []
    ) {
        self.title = title
        self.subtitle = subtitle
        self.headlines = headlines
        self.headlineText = headlineText
        self.inputs = inputs
        self.summary = summary
        self.summaryText = summaryText
        self.warnings = warnings
        self.sections = sections
    }

    /// Every figure, in page order.
    public var figures: [ReportFigure] { sections.flatMap(\.allFigures) }

    static let styleSheet = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; \
        max-width: 1320px; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.4; }
        h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
        h2 { font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2rem; }
        .subtitle { color: #666; margin-top: 0; }
        nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; }
        nav a, figcaption a { color: #0b5cad; text-decoration: none; }
        dl.inputs { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
        dl.inputs dt { font-weight: 600; }
        dl.inputs dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
        table { border-collapse: collapse; font-size: 0.9rem; margin: 0.5rem 0; }
        th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; }
        th { background: #f3f3f3; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .figures { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
        figure { margin: 0; flex: 1 1 420px; }
        figure.wide { flex-basis: 100%; }
        figure img, figure svg { width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: 0.85rem; color: #555; }
        .table-scroll { max-height: 34rem; overflow: auto; border: 1px solid #ddd; display: inline-block; max-width: 100%; }
        .table-scroll table { margin: 0; }
        .table-scroll th { position: sticky; top: 0; }
        ul.warnings li { color: #8a4b00; }
        section.headline table { font-size: 1rem; }
        p.reading { font-weight: 600; }
        details { margin: 0.8rem 0; }
        details > summary { cursor: pointer; font-weight: 600; margin-bottom: 0.5rem; }
        """

    /// Figures wider than this (px) take a whole row of the page.
    static let wideFigureWidth = 700.0

    /// The page as text.
    public func html() -> String {
        let e = SVGText.escaped
        var lines: [String] = [
            "<!DOCTYPE html>",
            "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\"/>",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
            "<title>\(e(title))</title>",
            "<style>",
            Self.styleSheet,
            "</style>",
            "</head>",
            "<body>",
            "<header>",
            "<h1>\(e(title))</h1>",
        ]
        if let subtitle { lines.append("<p class=\"subtitle\">\(e(subtitle))</p>") }
        lines.append("</header>")
        for (index, headline) in headlines.enumerated() {
            lines.append("<section id=\"headline-\(index + 1)\" class=\"headline\">")
            lines.append("<h2>\(e(headline.title))</h2>")
            for table in headline.tables { lines.append(table.html()) }
            if let text = headline.text { lines.append("<p class=\"reading\">\(e(text))</p>") }
            lines.append("</section>")
        }
        if let headlineText, !headlines.isEmpty { lines.append("<p>\(e(headlineText))</p>") }

        if !sections.isEmpty {
            lines.append("<nav><ul>")
            for (index, section) in sections.enumerated() {
                lines.append("<li><a href=\"#section-\(index + 1)\">\(e(section.title))</a></li>")
            }
            lines.append("</ul></nav>")
        }
        if !inputs.isEmpty {
            lines.append("<section id=\"inputs\">")
            lines.append("<h2>Inputs</h2>")
            lines.append("<dl class=\"inputs\">")
            for input in inputs {
                lines.append("<dt>\(e(input.name))</dt><dd>\(e(input.value))</dd>")
            }
            lines.append("</dl>")
            lines.append("</section>")
        }
        if !warnings.isEmpty {
            lines.append("<section id=\"warnings\">")
            lines.append("<h2>Warnings</h2>")
            lines.append("<ul class=\"warnings\">")
            lines += warnings.map { "<li>\(e($0))</li>" }
            lines.append("</ul>")
            lines.append("</section>")
        }
        if let summary {
            lines.append("<section id=\"summary\">")
            lines.append("<h2>Summary</h2>")
            lines.append("<div class=\"table-scroll\">")
            lines.append(summary.html())
            lines.append("</div>")
            if let summaryText { lines.append("<p>\(e(summaryText))</p>") }
            lines.append("</section>")
        }
        for (sectionIndex, section) in sections.enumerated() {
            lines.append("<section id=\"section-\(sectionIndex + 1)\">")
            lines.append("<h2>\(e(section.title))</h2>")
            if let text = section.text { lines.append("<p>\(e(text))</p>") }
            for table in section.tables { lines.append(table.html()) }
            if !section.figures.isEmpty {
                lines.append("<div class=\"figures\">")
                for (figureIndex, figure) in section.figures.enumerated() {
                    lines.append(html(figure, id: "s\(sectionIndex + 1)f\(figureIndex + 1)"))
                }
                lines.append("</div>")
            }
            for (groupIndex, group) in section.groups.enumerated() {
                lines.append(group.isCollapsed ? "<details>" : "<details open=\"open\">")
                let count = group.figures.count == 1 ? "1 figure" : "\(group.figures.count) figures"
                lines.append("<summary>\(e(group.title)) (\(count))</summary>")
                lines.append("<div class=\"figures\">")
                for (figureIndex, figure) in group.figures.enumerated() {
                    lines.append(html(figure, id: "s\(sectionIndex + 1)g\(groupIndex + 1)f\(figureIndex + 1)"))
                }
                lines.append("</div>")
                lines.append("</details>")
            }
            lines.append("</section>")
        }
        lines += ["</body>", "</html>"]
        return lines.joined(separator: "\n") + "\n"
    }

    private func html(_ figure: ReportFigure, id: String) -> String {
        let e = SVGText.escaped
        let style = figure.width.map { " style=\"max-width: \(SVGText.number($0))px\"" } ?? ""
        // Figures much wider than the standard 640 px get a row of their own, so their text stays readable.
        let wide = (figure.width ?? 0) > Self.wideFigureWidth ? " class=\"wide\"" : ""
        var lines = ["<figure id=\"\(id)\"\(wide)\(style)>"]
        switch figure.source {
        case .file(let path):
            let link = e(Self.percentEncoded(path))
            lines.append("<a href=\"\(link)\"><img src=\"\(link)\" alt=\"\(e(figure.caption))\" loading=\"lazy\"/></a>")
            lines.append("<figcaption>\(e(figure.caption))</figcaption>")
        case .inline(let inline):
            // Without the XML prolog, which may not appear inside a page; ids prefixed per figure.
            var svg = inline.svg(idPrefix: id)
            if svg.hasPrefix("<?xml"), let end = svg.firstIndex(of: "\n") { svg = String(svg[svg.index(after: end)...]) }
            lines.append(svg.trimmingCharacters(in: .whitespacesAndNewlines))
            lines.append("<figcaption>\(e(figure.caption))</figcaption>")
        }
        lines.append("</figure>")
        return lines.joined(separator: "\n")
    }

    /// Percent-encodes characters that may not appear in a relative URL path (spaces, #, ?, %).
    static func percentEncoded(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%;")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    /// Writes the page atomically (a temporary file in the same directory, then a rename), so a
    /// browser or a crash never sees half a report.
    public func write(to url: URL) throws {
        try EvaluationResult.writeAtomically(Data(html().utf8), to: url)
    }
}
