import Foundation

/// A resolved axis: its mapping onto pixels, all ticks inside the range, and the labels that fit.
struct ResolvedAxis {
    var mapping: ScaleMapping
    var ticks: [Tick]
    var labels: [(value: Double, label: RichText)]
}

/// Space around a panel's plot area, in px.
struct Margins: Equatable {
    var left: Double
    var right: Double
    var top: Double
    var bottom: Double
}

/// Where and how one panel is drawn.
struct PanelPlan {
    var plot: Rect
    var x: ResolvedAxis
    var y: ResolvedAxis
    var legend: Rect?
}

/// Lays out and draws a `Figure` as SVG.
struct FigureRenderer {
    let figure: Figure
    let idPrefix: String

    static let tickFont = 11.0
    static let axisTitleFont = 13.0
    static let panelTitleFont = 12.5
    static let figureTitleFont = 14.5
    static let legendFont = 11.0
    static let legendRow = 16.0
    static let majorTick = 5.0
    static let minorTick = 3.0

    func render() -> String {
        var writer = SVGWriter()
        writer.rect(Rect(x: 0, y: 0, width: figure.width, height: figure.height), fill: .white)

        let titleHeight = figure.title == nil ? 4.0 : 30.0
        let barWidth = figure.colorBar.map { colorBarWidth($0) } ?? 0
        let content = Rect(x: 0, y: titleHeight, width: figure.width - barWidth, height: figure.height - titleHeight)
        let cells = gridCells(in: content)

        // Margins depend on tick labels, which depend on the plot size: settle them in a few passes.
        var margins = figure.panels.map { estimatedMargins($0) }
        var plans: [PanelPlan] = []
        for _ in 0..<3 {
            let aligned = align(margins)
            plans = figure.panels.indices.map { plan(figure.panels[$0], plot: inset(cells[$0], aligned[$0])) }
            let required = figure.panels.indices.map { requiredMargins(figure.panels[$0], plans[$0]) }
            if required == margins { break }
            margins = required
        }

        if let title = figure.title {
            let text = RichText(title)
            let size = fitted(Self.figureTitleFont, text: text, available: figure.width - 20, bold: true)
            writer.text(
                text, x: figure.width / 2, y: 21, size: size, anchor: .middle, weight: "bold", extra: "class=\"figure-title\"")
        }
        for index in figure.panels.indices {
            drawPanel(figure.panels[index], plans[index], index: index, into: &writer)
        }
        if let scale = figure.colorBar, !plans.isEmpty {
            let top = plans.map(\.plot.y).min() ?? content.y
            let bottom = plans.map(\.plot.maxY).max() ?? content.maxY
            let bar = Rect(x: content.maxX + 6, y: top, width: 14, height: bottom - top)
            drawColorBar(scale, bar: bar, id: "\(idPrefix)-figure-bar", into: &writer)
        }
        return writer.document(width: figure.width, height: figure.height)
    }

    // MARK: - Layout

    private func gridCells(in content: Rect) -> [Rect] {
        let rows = figure.rows
        var weights = figure.rowWeights ?? []
        if weights.count != rows || weights.contains(where: { !($0 > 0) }) { weights = Array(repeating: 1, count: rows) }
        let total = weights.reduce(0, +)
        var tops: [Double] = []
        var y = content.y
        for weight in weights {
            tops.append(y)
            y += content.height * weight / total
        }
        let cellWidth = content.width / Double(figure.columns)
        return figure.panels.indices.map { index in
            let row = index / figure.columns
            let column = index % figure.columns
            return Rect(
                x: content.x + Double(column) * cellWidth, y: tops[row], width: cellWidth,
                height: content.height * weights[row] / total)
        }
    }

    private func inset(_ cell: Rect, _ margins: Margins) -> Rect {
        Rect(
            x: cell.x + margins.left, y: cell.y + margins.top, width: Swift.max(cell.width - margins.left - margins.right, 10),
            height: Swift.max(cell.height - margins.top - margins.bottom, 10))
    }

    /// Panels in one column share left/right margins and panels in one row share top/bottom margins,
    /// so stacked axes line up.
    private func align(_ margins: [Margins]) -> [Margins] {
        var left = [Double](repeating: 0, count: figure.columns)
        var right = left
        var top = [Double](repeating: 0, count: figure.rows)
        var bottom = top
        for (index, margin) in margins.enumerated() {
            let row = index / figure.columns
            let column = index % figure.columns
            left[column] = Swift.max(left[column], margin.left)
            right[column] = Swift.max(right[column], margin.right)
            top[row] = Swift.max(top[row], margin.top)
            bottom[row] = Swift.max(bottom[row], margin.bottom)
        }
        return margins.indices.map { index in
            Margins(
                left: left[index % figure.columns], right: right[index % figure.columns], top: top[index / figure.columns],
                bottom: bottom[index / figure.columns])
        }
    }

    private func estimatedMargins(_ panel: Panel) -> Margins {
        var margins = Margins(left: 8, right: 10, top: 8, bottom: 8)
        if panel.showsAxes {
            if panel.yAxis.showsTickLabels { margins.left += 40 }
            if !panel.yAxis.title.isEmpty { margins.left += 22 }
            if panel.xAxis.showsTickLabels { margins.bottom += 18 }
        }
        if !panel.xAxis.title.isEmpty { margins.bottom += 20 }
        if panel.title != nil { margins.top += 20 }
        if let bar = panel.colorBar { margins.right += colorBarWidth(bar) }
        return margins
    }

    private func requiredMargins(_ panel: Panel, _ plan: PanelPlan) -> Margins {
        var margins = Margins(left: 8, right: 10, top: 8, bottom: 6)
        let outward = ticksOutward(panel)
        if panel.showsAxes {
            if panel.yAxis.showsTickLabels {
                let widest = plan.y.labels.map { $0.label.width(fontSize: Self.tickFont) }.max() ?? 0
                margins.left = widest + (outward ? 10 : 6) + 6
            }
            if !panel.yAxis.title.isEmpty { margins.left += 20 }
            if panel.xAxis.showsTickLabels {
                margins.bottom += outward ? 20 : 16
                // The last x label may stick out to the right of the plot area.
                if let last = plan.x.labels.last {
                    let overhang = plan.x.mapping.map(last.value) + last.label.width(fontSize: Self.tickFont) / 2 - plan.plot.maxX
                    margins.right = Swift.max(margins.right, overhang + 4)
                }
            }
        }
        if !panel.xAxis.title.isEmpty { margins.bottom += 20 }
        if panel.title != nil { margins.top += 20 }
        if let bar = panel.colorBar { margins.right += colorBarWidth(bar) }
        return margins
    }

    private func ticksOutward(_ panel: Panel) -> Bool {
        panel.items.contains { if case .heatMap = $0 { return true } else { return false } }
    }

    // MARK: - Axes

    private func plan(_ panel: Panel, plot: Rect) -> PanelPlan {
        let xDomain = panel.xAxis.range.flatMap { valid($0, panel.xAxis.scale) } ?? DataExtent.x(of: panel)
        let xMapping = ScaleMapping(scale: panel.xAxis.scale, domain: xDomain, start: plot.x, end: plot.maxX)
        var yDomain = panel.yAxis.range.flatMap { valid($0, panel.yAxis.scale) } ?? DataExtent.y(of: panel)

        var legend: Rect?
        let entries = panel.items.compactMap(\.label)
        if !entries.isEmpty, panel.legend != .hidden {
            let size = legendSize(entries)
            let candidates: [LegendPlacement] = panel.legend == .auto ? [.topRight, .topLeft] : [panel.legend]
            var best: (rect: Rect, domain: ClosedRange<Double>)?
            for placement in candidates {
                let rect = legendRect(placement, size: size, plot: plot)
                var domain = yDomain
                if panel.yAxis.range == nil, placement == .topRight || placement == .topLeft {
                    domain = DataExtent.headroom(
                        for: panel, domain: yDomain, scale: panel.yAxis.scale,
                        xSpan: xMapping.invert(rect.x)...xMapping.invert(rect.maxX),
                        freeFraction: (rect.maxY + 4 - plot.y) / plot.height)
                }
                if domain.upperBound < best?.domain.upperBound ?? .infinity { best = (rect, domain) }
            }
            legend = best?.rect
            yDomain = best?.domain ?? yDomain
        }
        let yMapping = ScaleMapping(scale: panel.yAxis.scale, domain: yDomain, start: plot.maxY, end: plot.y)
        let x = resolve(panel.xAxis, mapping: xMapping, length: plot.width, horizontal: true)
        var y = resolve(panel.yAxis, mapping: yMapping, length: plot.height, horizontal: false)
        // Without x labels the panel's bottom edge touches the panel below: its edge label would
        // collide with that panel's top label.
        if !panel.xAxis.showsTickLabels {
            y.labels.removeAll { Swift.abs(yMapping.map($0.value) - plot.maxY) < 3 }
        }
        return PanelPlan(plot: plot, x: x, y: y, legend: legend)
    }

    private func valid(_ range: ClosedRange<Double>, _ scale: AxisScale) -> ClosedRange<Double>? {
        guard range.lowerBound.isFinite, range.upperBound.isFinite, range.upperBound > range.lowerBound else { return nil }
        return scale == .log && range.lowerBound <= 0 ? nil : range
    }

    private func resolve(_ axis: Axis, mapping: ScaleMapping, length: Double, horizontal: Bool) -> ResolvedAxis {
        var ticks: [Tick]
        if let categories = axis.categories {
            ticks = categories.enumerated().map { Tick(value: Double($0.offset), label: TickLabel($0.element)) }
        } else if axis.scale == .log {
            ticks = Ticks.log(in: mapping.domain, maxLabels: Swift.max(2, Int(length / (horizontal ? 55 : 30))))
        } else {
            ticks = Ticks.linear(
                in: mapping.domain, targetCount: horizontal ? Swift.max(3, Int(length / 90)) : Swift.max(2, Int(length / 50)))
        }
        ticks = ticks.filter { mapping.contains($0.value) }
        let labels = axis.showsTickLabels ? thinnedLabels(ticks, mapping: mapping, horizontal: horizontal) : []
        return ResolvedAxis(mapping: mapping, ticks: ticks, labels: labels)
    }

    /// Every n-th label (n = 1, 2, 5, 10, …) for the smallest n at which no two labels overlap.
    private func thinnedLabels(_ ticks: [Tick], mapping: ScaleMapping, horizontal: Bool) -> [(value: Double, label: RichText)] {
        let labelled = ticks.compactMap { tick in tick.label.map { (value: tick.value, label: $0.richText) } }
        for stride in [1, 2, 5, 10, 20, 50, 100, 200, 500] {
            let chosen = labelled.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
            let fits = zip(chosen, chosen.dropFirst()).allSatisfy { first, second in
                let distance = Swift.abs(mapping.map(second.value) - mapping.map(first.value))
                if horizontal {
                    return distance >= (first.label.width(fontSize: Self.tickFont) + second.label.width(fontSize: Self.tickFont))
                        / 2 + 6
                }
                return distance >= Self.tickFont + 2
            }
            if fits { return chosen }
        }
        return Array(labelled.prefix(1))
    }

    // MARK: - Legend

    private func legendSize(_ entries: [String]) -> (width: Double, height: Double) {
        let widest = entries.map { RichText($0).width(fontSize: Self.legendFont) }.max() ?? 0
        return (8 + 24 + 6 + widest + 8, 5 + Double(entries.count) * Self.legendRow + 3)
    }

    private func legendRect(_ placement: LegendPlacement, size: (width: Double, height: Double), plot: Rect) -> Rect {
        let gap = 6.0
        let left = plot.x + gap
        let right = plot.maxX - gap - size.width
        let top = plot.y + gap
        let bottom = plot.maxY - gap - size.height
        switch placement {
        case .topLeft: return Rect(x: left, y: top, width: size.width, height: size.height)
        case .bottomRight: return Rect(x: right, y: bottom, width: size.width, height: size.height)
        case .bottomLeft: return Rect(x: left, y: bottom, width: size.width, height: size.height)
        case .topRight, .auto, .hidden: return Rect(x: right, y: top, width: size.width, height: size.height)
        }
    }

    private func drawLegend(_ panel: Panel, in rect: Rect, into writer: inout SVGWriter) {
        writer.open("g", "class=\"legend\"")
        writer.rect(rect, fill: .white, stroke: Color(hex: 0xBBBBBB), strokeWidth: 0.8, opacity: 0.85)
        var y = rect.y + 5 + Self.legendRow / 2
        for item in panel.items {
            guard let label = item.label else { continue }
            let x0 = rect.x + 8
            let x1 = x0 + 24
            writer.open("g", "class=\"legend-entry\"")
            switch item {
            case .histogram(let histogram):
                if let fill = histogram.fill {
                    writer.rect(Rect(x: x0, y: y - 5, width: 24, height: 10), fill: fill, stroke: histogram.color, strokeWidth: 1)
                } else {
                    writer.line(
                        x1: x0, y1: y, x2: x1, y2: y, color: histogram.color, width: histogram.lineWidth, dash: histogram.dash)
                }
            case .line(let series):
                if series.drawsLine {
                    writer.line(x1: x0, y1: y, x2: x1, y2: y, color: series.color, width: series.lineWidth, dash: series.dash)
                }
                if series.yErrors != nil, !series.drawsLine {
                    writer.line(x1: x0 + 12, y1: y - 5, x2: x0 + 12, y2: y + 5, color: series.color, width: 1)
                }
                drawMarker(series.marker, x: x0 + 12, y: y, size: series.markerSize, color: series.color, into: &writer)
            case .band(let band):
                writer.rect(Rect(x: x0, y: y - 5, width: 24, height: 10), fill: band.color, opacity: band.opacity)
            case .referenceLine(let line):
                writer.line(x1: x0, y1: y, x2: x1, y2: y, color: line.color, width: line.lineWidth, dash: line.dash)
            case .heatMap, .polarImage:
                break
            }
            writer.text(RichText(label), x: x1 + 6, y: y + 4, size: Self.legendFont)
            writer.close("g")
            y += Self.legendRow
        }
        writer.close("g")
    }

    // MARK: - Drawing

    private func drawPanel(_ panel: Panel, _ plan: PanelPlan, index: Int, into writer: inout SVGWriter) {
        let plot = plan.plot
        let clipID = "\(idPrefix)-clip\(index)"
        writer.open("g", "class=\"panel\"")
        writer.open("defs")
        writer.open("clipPath", "id=\"\(clipID)\"")
        writer.rect(plot, fill: .black)
        writer.close("clipPath")
        writer.close("defs")

        writer.open("g", "clip-path=\"url(#\(clipID))\"")
        for item in panel.items {
            draw(item, plan: plan, into: &writer)
        }
        writer.close("g")

        if panel.showsAxes {
            drawAxes(panel, plan, into: &writer)
        }
        if !panel.xAxis.title.isEmpty {
            let text = RichText(panel.xAxis.title)
            var y = plot.maxY + 17
            if panel.showsAxes && panel.xAxis.showsTickLabels { y += ticksOutward(panel) ? 20 : 16 }
            let size = fitted(Self.axisTitleFont, text: text, available: plot.width + 40)
            writer.text(text, x: plot.midX, y: y, size: size, anchor: .middle, extra: "class=\"axis-title\"")
        }
        if !panel.yAxis.title.isEmpty && panel.showsAxes {
            let text = RichText(panel.yAxis.title)
            let widest = plan.y.labels.map { $0.label.width(fontSize: Self.tickFont) }.max() ?? 0
            let x = plot.x - (panel.yAxis.showsTickLabels ? widest + (ticksOutward(panel) ? 10 : 6) : 0) - 8
            let size = fitted(Self.axisTitleFont, text: text, available: plot.height + 20)
            writer.text(text, x: x, y: plot.midY, size: size, anchor: .middle, rotation: -90, extra: "class=\"axis-title\"")
        }
        if let title = panel.title {
            let text = RichText(title)
            let size = fitted(Self.panelTitleFont, text: text, available: plot.width + 30)
            writer.text(text, x: plot.midX, y: plot.y - 8, size: size, anchor: .middle, extra: "class=\"panel-title\"")
        }
        if let legend = plan.legend {
            drawLegend(panel, in: legend, into: &writer)
        }
        if let scale = panel.colorBar {
            let bar = Rect(x: plot.maxX + 12, y: plot.y, width: 14, height: plot.height)
            drawColorBar(scale, bar: bar, id: "\(idPrefix)-bar\(index)", into: &writer)
        }
        writer.close("g")
    }

    private func drawAxes(_ panel: Panel, _ plan: PanelPlan, into writer: inout SVGWriter) {
        let plot = plan.plot
        let outward = ticksOutward(panel)
        let tickColor = Color.black
        var ticks: [String] = []
        // Category ticks are all "major" but only some carry a label; the others are drawn short.
        let xLabelled = Set(plan.x.labels.map(\.value))
        let yLabelled = Set(plan.y.labels.map(\.value))
        for tick in plan.x.ticks {
            let x = plan.x.mapping.map(tick.value)
            let length =
                tick.isMajor && (panel.xAxis.categories == nil || xLabelled.contains(tick.value))
                ? Self.majorTick : Self.minorTick
            if outward {
                ticks.append("M\(SVGText.number(x)) \(SVGText.number(plot.maxY)) V\(SVGText.number(plot.maxY + length))")
            } else {
                ticks.append("M\(SVGText.number(x)) \(SVGText.number(plot.maxY)) V\(SVGText.number(plot.maxY - length))")
                ticks.append("M\(SVGText.number(x)) \(SVGText.number(plot.y)) V\(SVGText.number(plot.y + length))")
            }
        }
        for tick in plan.y.ticks {
            let y = plan.y.mapping.map(tick.value)
            let length =
                tick.isMajor && (panel.yAxis.categories == nil || yLabelled.contains(tick.value))
                ? Self.majorTick : Self.minorTick
            if outward {
                ticks.append("M\(SVGText.number(plot.x)) \(SVGText.number(y)) H\(SVGText.number(plot.x - length))")
            } else {
                ticks.append("M\(SVGText.number(plot.x)) \(SVGText.number(y)) H\(SVGText.number(plot.x + length))")
                ticks.append("M\(SVGText.number(plot.maxX)) \(SVGText.number(y)) H\(SVGText.number(plot.maxX - length))")
            }
        }
        writer.path(ticks.joined(separator: " "), fill: nil, stroke: tickColor, strokeWidth: 0.8, extra: "class=\"ticks\"")
        writer.rect(plot, fill: nil, stroke: .black, strokeWidth: 1, extra: "class=\"frame\"")

        let labelY = plot.maxY + (outward ? 8 : 4) + Self.tickFont * 0.9
        for (value, label) in plan.x.labels {
            writer.text(
                label, x: plan.x.mapping.map(value), y: labelY, size: Self.tickFont, anchor: .middle,
                extra: "class=\"tick-label\"")
        }
        let labelX = plot.x - (outward ? 9 : 5)
        for (value, label) in plan.y.labels {
            writer.text(
                label, x: labelX, y: plan.y.mapping.map(value) + Self.tickFont * 0.35, size: Self.tickFont, anchor: .end,
                extra: "class=\"tick-label\"")
        }
    }

    private func draw(_ item: PlotItem, plan: PanelPlan, into writer: inout SVGWriter) {
        let xMap = plan.x.mapping
        let yMap = plan.y.mapping
        func px(_ value: Double) -> Double { xMap.clampedMap(value) }
        func py(_ value: Double) -> Double { yMap.clampedMap(value) }

        switch item {
        case .histogram(let histogram):
            let base = py(0)
            var points: [(Double, Double)?] = [(px(histogram.edges[0]), base)]
            for (index, value) in histogram.values.enumerated() {
                let y = value.isFinite ? py(value) : base
                points.append((px(histogram.edges[index]), y))
                points.append((px(histogram.edges[index + 1]), y))
            }
            points.append((px(histogram.edges[histogram.edges.count - 1]), base))
            var d = SVGWriter.polyline(Self.merged(points))
            if histogram.fill != nil { d += " Z" }
            writer.path(
                d, fill: histogram.fill, stroke: histogram.color, strokeWidth: histogram.lineWidth, dash: histogram.dash,
                extra: "stroke-linejoin=\"miter\" class=\"histogram\"")

        case .line(let series):
            if series.drawsLine {
                let points = zip(series.x, series.y).map { x, y -> (Double, Double)? in
                    x.isFinite && y.isFinite && (yMap.scale == .linear || y > 0) ? (px(x), py(y)) : nil
                }
                writer.path(
                    SVGWriter.polyline(points), fill: nil, stroke: series.color, strokeWidth: series.lineWidth, dash: series.dash,
                    extra: "stroke-linejoin=\"round\" class=\"line\"")
            }
            var bars: [String] = []
            for index in series.x.indices {
                let x = series.x[index]
                let y = series.y[index]
                guard x.isFinite, y.isFinite else { continue }
                let cx = px(x)
                let cy = py(y)
                if let errors = series.yErrors, errors[index].isFinite, errors[index] > 0 {
                    let low = py(y - errors[index])
                    let high = py(y + errors[index])
                    bars.append("M\(SVGText.number(cx)) \(SVGText.number(low)) V\(SVGText.number(high))")
                    if abs(low - high) > 6 {
                        for end in [low, high] where abs(end - cy) < 1e4 {
                            bars.append("M\(SVGText.number(cx - 2.5)) \(SVGText.number(end)) H\(SVGText.number(cx + 2.5))")
                        }
                    }
                }
                if let errors = series.xErrors, errors[index].isFinite, errors[index] > 0 {
                    bars.append(
                        "M\(SVGText.number(px(x - errors[index]))) \(SVGText.number(cy)) H\(SVGText.number(px(x + errors[index])))"
                    )
                }
            }
            writer.path(
                bars.joined(separator: " "), fill: nil, stroke: series.color, strokeWidth: 1.1, extra: "class=\"errorbar\"")
            if series.marker != .none {
                for (x, y) in zip(series.x, series.y) where x.isFinite && y.isFinite && (yMap.scale == .linear || y > 0) {
                    drawMarker(series.marker, x: px(x), y: py(y), size: series.markerSize, color: series.color, into: &writer)
                }
            }

        case .band(let band):
            writer.path(
                Self.bandPath(band, px: px, py: py), fill: band.color, fillOpacity: band.opacity, stroke: nil,
                extra: "class=\"band\"")

        case .referenceLine(let line):
            let y = py(line.y)
            writer.line(
                x1: plan.plot.x, y1: y, x2: plan.plot.maxX, y2: y, color: line.color, width: line.lineWidth, dash: line.dash,
                extra: "class=\"reference-line\"")

        case .heatMap(let map):
            drawHeatMap(map, px: px, py: py, into: &writer)

        case .polarImage(let image):
            drawPolarImage(image, in: plan.plot, into: &writer)
        }
    }

    /// Drops the middle of three collinear points on one horizontal or vertical line, so flat runs of
    /// a step outline are one segment.
    static func merged(_ points: [(Double, Double)?]) -> [(Double, Double)?] {
        var result: [(Double, Double)?] = []
        for point in points {
            if let point, result.count >= 2, let last = result[result.count - 1], let before = result[result.count - 2] {
                let sameY =
                    SVGText.number(before.1) == SVGText.number(last.1) && SVGText.number(last.1) == SVGText.number(point.1)
                let sameX =
                    SVGText.number(before.0) == SVGText.number(last.0) && SVGText.number(last.0) == SVGText.number(point.0)
                if sameX || sameY {
                    result[result.count - 1] = point
                    continue
                }
            }
            result.append(point)
        }
        return result
    }

    private static func bandPath(_ band: Band, px: (Double) -> Double, py: (Double) -> Double) -> String {
        var subpaths: [String] = []
        var run: [Int] = []
        func flush() {
            guard !run.isEmpty else { return }
            var top: [(Double, Double)?] = []
            var bottom: [(Double, Double)?] = []
            for index in run {
                switch band.shape {
                case .steps:
                    top += [(px(band.x[index]), py(band.high[index])), (px(band.x[index + 1]), py(band.high[index]))]
                    bottom += [(px(band.x[index]), py(band.low[index])), (px(band.x[index + 1]), py(band.low[index]))]
                case .linear:
                    top.append((px(band.x[index]), py(band.high[index])))
                    bottom.append((px(band.x[index]), py(band.low[index])))
                }
            }
            subpaths.append(SVGWriter.polyline(top + bottom.reversed()) + " Z")
            run = []
        }
        for index in band.low.indices {
            if band.low[index].isFinite && band.high[index].isFinite {
                run.append(index)
            } else {
                flush()
            }
        }
        flush()
        return subpaths.joined(separator: " ")
    }

    private func drawMarker(_ marker: Marker, x: Double, y: Double, size: Double, color: Color, into writer: inout SVGWriter) {
        let n = SVGText.number
        switch marker {
        case .none:
            return
        case .circle:
            writer.raw("<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(size))\" fill=\"\(color.hexString)\" class=\"marker\"/>")
        case .square:
            writer.rect(Rect(x: x - size, y: y - size, width: 2 * size, height: 2 * size), fill: color, extra: "class=\"marker\"")
        case .triangle:
            let s = size * 1.2
            writer.path(
                "M\(n(x)) \(n(y - s)) L\(n(x + s)) \(n(y + s * 0.8)) L\(n(x - s)) \(n(y + s * 0.8)) Z", fill: color, stroke: nil,
                extra: "class=\"marker\"")
        case .diamond:
            let s = size * 1.25
            writer.path(
                "M\(n(x)) \(n(y - s)) L\(n(x + s)) \(n(y)) L\(n(x)) \(n(y + s)) L\(n(x - s)) \(n(y)) Z", fill: color, stroke: nil,
                extra: "class=\"marker\"")
        }
    }

    private func drawHeatMap(_ map: HeatMap, px: (Double) -> Double, py: (Double) -> Double, into writer: inout SVGWriter) {
        writer.open("g", "shape-rendering=\"crispEdges\" class=\"heat-map\"")
        var labels: [(x: Double, y: Double, text: String, color: Color)] = []
        let valueFont = 9.5
        for (row, values) in map.values.enumerated() {
            let y0 = py(map.yEdges[row + 1])
            let y1 = py(map.yEdges[row])
            for (column, value) in values.enumerated() {
                let x0 = px(map.xEdges[column])
                let x1 = px(map.xEdges[column + 1])
                let cell = Rect(x: Swift.min(x0, x1), y: Swift.min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0))
                let color = map.colorScale.color(for: value)
                // Each cell reaches 0.5 px into its right and lower neighbours: crisp-edged cells with
                // fractional edges otherwise leave hairline white seams where the rounding differs.
                var painted = cell
                painted.width += 0.5
                painted.height += 0.5
                writer.rect(painted, fill: color, extra: "class=\"cell\"")
                if map.showsValues, value.isFinite {
                    let text = Ticks.minusSigned(String(format: "%.\(map.valueDecimals)f", value))
                    if cell.width >= SVGText.width(text, fontSize: valueFont) + 3, cell.height >= valueFont + 2 {
                        labels.append((cell.midX, cell.midY + valueFont * 0.35, text, color.luminance < 0.45 ? .white : .black))
                    }
                }
            }
        }
        writer.close("g")
        for label in labels {
            writer.text(
                label.text, x: label.x, y: label.y, size: valueFont, anchor: .middle, color: label.color,
                extra: "class=\"cell-value\"")
        }
    }

    private func drawPolarImage(_ image: PolarImage, in plot: Rect, into writer: inout SVGWriter) {
        let n = SVGText.number
        let cx = plot.midX
        let cy = plot.midY
        let radius = Swift.min(plot.width, plot.height) / 2 - 1
        func point(_ angle: Double, _ r: Double) -> String { "\(n(cx + r * cos(angle))) \(n(cy - r * sin(angle)))" }

        writer.open("g", "class=\"polar-image\"")
        let step = 2 * Double.pi / Double(image.angularBins)
        for alpha in 0..<image.angularBins {
            let start = -Double.pi + Double(alpha) * step
            let end = start + step
            for r in 0..<image.radialBins {
                let inner = radius * image.scaledRadius(image.radialEdges[r])
                let outer = radius * image.scaledRadius(image.radialEdges[r + 1])
                let ro = n(outer)
                let ri = n(inner)
                var d: String
                if image.angularBins == 1 {
                    // A full ring: two half circles outside, two inside in the other direction (even-odd hole).
                    d =
                        "M\(point(0, outer)) A\(ro) \(ro) 0 0 0 \(point(Double.pi, outer)) A\(ro) \(ro) 0 0 0 \(point(0, outer)) Z"
                    if inner > 0 {
                        d +=
                            " M\(point(0, inner)) A\(ri) \(ri) 0 0 1 \(point(Double.pi, inner)) A\(ri) \(ri) 0 0 1 \(point(0, inner)) Z"
                    }
                } else if inner <= 0 {
                    d =
                        "M\(n(cx)) \(n(cy)) L\(point(start, outer)) A\(ro) \(ro) 0 \(step > Double.pi ? 1 : 0) 0 \(point(end, outer)) Z"
                } else {
                    let large = step > Double.pi ? 1 : 0
                    d =
                        "M\(point(start, outer)) A\(ro) \(ro) 0 \(large) 0 \(point(end, outer)) L\(point(end, inner)) A\(ri) \(ri) 0 \(large) 1 \(point(start, inner)) Z"
                }
                let color = image.colorScale.color(for: image.values[alpha * image.radialBins + r])
                // A hairline stroke in the fill colour hides anti-aliasing seams between sectors.
                writer.path(d, fill: color, stroke: color, strokeWidth: 0.4, extra: "fill-rule=\"evenodd\" class=\"voxel\"")
            }
        }
        writer.raw(
            "<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(radius))\" fill=\"none\" stroke=\"#808080\" stroke-width=\"0.8\"/>")
        writer.close("g")
    }

    // MARK: - Colour bars

    private func colorBarTicks(_ scale: ColorScale, length: Double) -> [Tick] {
        scale.scale == .log
            ? Ticks.log(in: scale.range, maxLabels: Swift.max(2, Int(length / 28)))
            : Ticks.linear(in: scale.range, targetCount: Swift.max(2, Int(length / 50)))
    }

    private func colorBarWidth(_ scale: ColorScale) -> Double {
        let labels = colorBarTicks(scale, length: 300).compactMap(\.label).map { $0.richText.width(fontSize: Self.tickFont) }
        return 12 + 14 + 5 + (labels.max() ?? 20) + (scale.title.isEmpty ? 0 : 20) + 4
    }

    private func drawColorBar(_ scale: ColorScale, bar: Rect, id: String, into writer: inout SVGWriter) {
        writer.open("g", "class=\"color-bar\"")
        writer.open("defs")
        writer.open("linearGradient", "id=\"\(id)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\"")
        let anchors = scale.map.anchors
        for (index, color) in anchors.enumerated() {
            writer.raw(
                "<stop offset=\"\(SVGText.number(Double(index) / Double(anchors.count - 1)))\" stop-color=\"\(color.hexString)\"/>"
            )
        }
        writer.close("linearGradient")
        writer.close("defs")
        let n = SVGText.number
        writer.raw(
            "<rect x=\"\(n(bar.x))\" y=\"\(n(bar.y))\" width=\"\(n(bar.width))\" height=\"\(n(bar.height))\" fill=\"url(#\(id))\" stroke=\"#000000\" stroke-width=\"0.8\"/>"
        )
        let mapping = ScaleMapping(scale: scale.scale, domain: scale.range, start: bar.maxY, end: bar.y)
        let ticks = colorBarTicks(scale, length: bar.height).filter { mapping.contains($0.value) }
        var path: [String] = []
        for tick in ticks {
            let y = mapping.map(tick.value)
            path.append("M\(n(bar.maxX)) \(n(y)) H\(n(bar.maxX - (tick.isMajor ? 4 : 2)))")
        }
        writer.path(path.joined(separator: " "), fill: nil, stroke: .black, strokeWidth: 0.8)
        let labels = thinnedLabels(ticks, mapping: mapping, horizontal: false)
        for (value, label) in labels {
            writer.text(
                label, x: bar.maxX + 5, y: mapping.map(value) + Self.tickFont * 0.35, size: Self.tickFont,
                extra: "class=\"tick-label\"")
        }
        if !scale.title.isEmpty {
            let widest = labels.map { $0.label.width(fontSize: Self.tickFont) }.max() ?? 0
            let text = RichText(scale.title)
            let size = fitted(Self.tickFont + 1, text: text, available: bar.height + 20)
            writer.text(
                text, x: bar.maxX + 5 + widest + 15, y: bar.midY, size: size, anchor: .middle, rotation: -90,
                extra: "class=\"axis-title\"")
        }
        writer.close("g")
    }

    /// The font size at most `size` at which `text` fits in `available` px.
    private func fitted(_ size: Double, text: RichText, available: Double, bold: Bool = false) -> Double {
        let width = text.width(fontSize: size) * (bold ? 1.08 : 1)
        guard width > available, width > 0 else { return size }
        return Swift.max(7, (size * available / width * 10).rounded(.down) / 10)
    }
}
