import Figures
import Foundation

extension EvaluationPlots {
    /// Pearson correlations of layer energies (spec §7.2): the reference matrix, the model matrix
    /// and model − reference, as heat maps over the relevant layers (row 0 at the bottom). NaN
    /// cells are drawn grey; cleaning them (the notebook sets them to 0) is the caller's choice.
    /// Cell values are printed when the cells are large enough (ds1).
    public static func correlation(
        layerIDs: [Int], reference: [[Double]], model: [[Double]], referenceLabel: String, modelLabel: String,
        title: String? = "Pearson correlation of layer energies", width: Double = 1000, height: Double = 380
    ) -> Figure {
        let n = layerIDs.count
        precondition(reference.count == n && reference.allSatisfy { $0.count == n }, "the reference matrix must be \(n) × \(n)")
        precondition(model.count == n && model.allSatisfy { $0.count == n }, "the model matrix must be \(n) × \(n)")
        let difference = zip(model, reference).map { zip($0, $1).map { $0 - $1 } }
        let largest = difference.flatMap { $0 }.filter(\.isFinite).map(abs).max() ?? 0
        let limit = largest > 0 ? Ticks.niceStep(span: largest, targetCount: 1) : 0.1
        let limitAbove = limit >= largest ? limit : limit * 2
        let categories = layerIDs.map(String.init)
        let showsValues = n <= 8
        func panel(_ title: String, _ values: [[Double]], _ scale: ColorScale) -> Panel {
            Panel(
                title: title, xAxis: Axis(title: "Layer", categories: categories),
                yAxis: Axis(title: "Layer", categories: categories),
                items: [.heatMap(HeatMap(values: values, colorScale: scale, showsValues: showsValues))], legend: .hidden,
                colorBar: scale)
        }
        let pcc = ColorScale.diverging(limit: 1, title: "PCC")
        return Figure(
            width: width, height: height, title: title,
            panels: [
                panel(referenceLabel, reference, pcc), panel(modelLabel, model, pcc),
                panel("\(modelLabel) − \(referenceLabel)", difference, .diverging(limit: limitAbove, title: "Difference")),
            ], columns: 3)
    }

    /// The mean shower of one layer for the reference and each model side by side, on one shared
    /// logarithmic colour scale (5 decades below the largest mean; emptier voxels are white).
    ///
    /// - Parameters:
    ///   - radialEdges: the layer's radial edges in mm (`Geometry.Layer.radialEdges`).
    ///   - images: reference first; each has `angularBins × (radialEdges.count − 1)` values in flat
    ///     order (angular outer, radial inner), e.g. mean energy per voxel in MeV.
    ///   - radialScale: `.logarithmic` suits ds1, whose outer bins reach 2 m.
    public static func showerImages(
        layerID: Int, radialEdges: [Double], angularBins: Int, images: [ImageSeries], style: ImageStyle = .polar,
        radialScale: PolarImage.RadialScale = .linear, colorTitle: String = "Mean energy [MeV]", title: String? = nil,
        width: Double? = nil, height: Double = 360
    ) -> Figure {
        let scale = imageColorScale(images.map(\.values), title: colorTitle)
        let panels = images.map { image in
            layerPanel(
                title: image.label, radialEdges: radialEdges, angularBins: angularBins, values: image.values, scale: scale,
                style: style,
                radialScale: radialScale, caption: true)
        }
        let defaultWidth = Swift.max(640, Double(images.count) * (style == .polar ? 270 : 300) + 110)
        return Figure(
            width: width ?? defaultWidth, height: height, title: title ?? "Mean shower, layer \(layerID)", panels: panels,
            columns: Swift.max(images.count, 1), colorBar: scale)
    }

    /// Every layer of one sample's mean shower in a grid, on one logarithmic colour scale (the
    /// `average_shower` figure of evaluate.py).
    public static func showerOverview(
        layers: [ShowerLayerImage], title: String, style: ImageStyle = .polar, radialScale: PolarImage.RadialScale = .linear,
        colorTitle: String = "Mean energy [MeV]", columns: Int? = nil, width: Double? = nil, height: Double? = nil
    ) -> Figure {
        let scale = imageColorScale(layers.map(\.values), title: colorTitle)
        let columnCount = columns ?? Swift.max(1, Int((Double(layers.count) * 1.8).squareRoot().rounded(.up)))
        let rowCount = (layers.count + columnCount - 1) / columnCount
        let panels = layers.map { layer in
            layerPanel(
                title: "layer \(layer.id)", radialEdges: layer.radialEdges, angularBins: layer.angularBins, values: layer.values,
                scale: scale, style: style, radialScale: radialScale, caption: false)
        }
        let cell = columnCount <= 3 ? 210.0 : 110.0
        return Figure(
            width: width ?? Swift.max(640, Double(columnCount) * cell + 110),
            height: height ?? Double(rowCount) * (cell + 8) + 40,
            title: title, panels: panels, columns: columnCount, colorBar: scale)
    }

    static func layerPanel(
        title: String, radialEdges: [Double], angularBins: Int, values: [Double], scale: ColorScale, style: ImageStyle,
        radialScale: PolarImage.RadialScale, caption: Bool
    ) -> Panel {
        switch style {
        case .polar:
            let outer = radialEdges.last ?? 0
            let note = "r ≤ \(SVGText.number(outer)) mm" + (radialScale == .logarithmic ? ", log radius" : "")
            return Panel(
                title: title, xAxis: Axis(title: caption ? note : ""),
                items: [
                    .polarImage(
                        PolarImage(
                            radialEdges: radialEdges, angularBins: angularBins, values: values, colorScale: scale,
                            radialScale: radialScale))
                ],
                legend: .hidden, showsAxes: false)
        case .grid:
            let radialBins = radialEdges.count - 1
            // values are angular-major; a heat map row is one radial bin.
            let rows = (0..<radialBins).map { r in (0..<angularBins).map { alpha in values[alpha * radialBins + r] } }
            return Panel(
                title: title, xAxis: Axis(title: caption ? "α bin" : ""), yAxis: Axis(title: caption ? "r bin" : ""),
                items: [.heatMap(HeatMap(values: rows, colorScale: scale))], legend: .hidden)
        }
    }
}
