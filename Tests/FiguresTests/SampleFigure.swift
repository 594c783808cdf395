@testable import Figures

/// A small figure of the engine alone: a step histogram and a line in one panel.
func sampleFigure() -> Figure {
    var panel = Panel(title: "sample", xAxis: Axis(title: "x"), yAxis: Axis(title: "entries"))
    panel.add(.histogram(StepHistogram(edges: [0, 1, 2, 3], values: [2, 5, 3], label: "reference")))
    panel.add(.line(LineSeries(x: [0.5, 1.5, 2.5], y: [2.5, 4.5, 3], label: "model")))
    return Figure(title: "A sample figure", panels: [panel])
}
