/// A grid of coloured cells: `values[row][column]`, row 0 at the bottom, columns left to right.
public struct HeatMap: Sendable, Equatable {
    /// Cell values, `values[row][column]`; NaN cells are drawn grey.
    public var values: [[Double]]
    /// Column edges along x (`columns + 1`).
    public var xEdges: [Double]
    /// Row edges along y (`rows + 1`).
    public var yEdges: [Double]
    /// Maps cell values to colours.
    public var colorScale: ColorScale
    /// Whether each cell shows its value as text (only where the cells are large enough).
    public var showsValues: Bool
    /// Decimals of the cell values.
    public var valueDecimals: Int

    /// A heat map; edge counts must match the grid (a programmer error otherwise; it traps).
    public init(
        values: [[Double]], xEdges: [Double], yEdges: [Double], colorScale: ColorScale, showsValues: Bool = false,
        valueDecimals: Int = 2
    ) {
        precondition(yEdges.count == values.count + 1, "yEdges needs \(values.count + 1) values")
        precondition(
            values.allSatisfy { $0.count + 1 == xEdges.count }, "every row needs xEdges.count − 1 = \(xEdges.count - 1) values")
        self.values = values
        self.xEdges = xEdges
        self.yEdges = yEdges
        self.colorScale = colorScale
        self.showsValues = showsValues
        self.valueDecimals = valueDecimals
    }

    /// A heat map with unit cells centred on 0, 1, …, n − 1 (for category axes such as layers).
    public init(values: [[Double]], colorScale: ColorScale, showsValues: Bool = false, valueDecimals: Int = 2) {
        let columns = values.first?.count ?? 0
        self.init(
            values: values, xEdges: (0...columns).map { Double($0) - 0.5 }, yEdges: (0...values.count).map { Double($0) - 0.5 },
            colorScale: colorScale, showsValues: showsValues, valueDecimals: valueDecimals)
    }
}
