/// Something drawn inside a panel, in the order given (later items on top).
public enum PlotItem: Sendable, Equatable {
    case histogram(StepHistogram)
    case line(LineSeries)
    case band(Band)
    case referenceLine(ReferenceLine)
    case heatMap(HeatMap)
    case polarImage(PolarImage)

    var label: String? {
        switch self {
        case .histogram(let item): return item.label
        case .line(let item): return item.label
        case .band(let item): return item.label
        case .referenceLine(let item): return item.label
        case .heatMap, .polarImage: return nil
        }
    }
}
