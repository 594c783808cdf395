import Foundation
import Testing
import _TestSupport

@testable import Figures

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Escaping, number formatting and rich text (sub- and superscripts).
@Suite struct SVGTextTests {
    @Test func textIsEscapedAndNumbersAreDeterministic() {
        #expect(SVGText.escaped("a<b & c>\"d'") == "a&lt;b &amp; c&gt;&quot;d&#39;")
        #expect(SVGText.number(12.5) == "12.5")
        #expect(SVGText.number(3) == "3")
        #expect(SVGText.number(-0.001) == "0")
        #expect(SVGText.number(-2.046) == "-2.05")
        #expect(SVGText.number(0.07) == "0.07")
        #expect(SVGText.number(1234.1) == "1234.1")
        #expect(SVGText.number(.nan) == "0")
    }

    @Test func richTextParsesSubscriptsAndSuperscriptsOnlyInBraces() {
        let title = RichText("E_{dep} / E_{inc}")
        #expect(title.segments.map(\.text) == ["E", "dep", " / E", "inc"])
        #expect(title.segments.map(\.baseline) == [.normal, .sub, .normal, .sub])
        #expect(RichText("model_v2.svg").segments == [RichText.Segment(text: "model_v2.svg", baseline: .normal)])
        #expect(RichText("10^{3}").plain == "103")
    }

    @Test func escapedTextSurvivesAnXMLRoundTrip() throws {
        let title = "Title <b> & \"q\" 'a'"
        var panel = Panel(title: "<panel>", xAxis: Axis(title: "x <&> y"), yAxis: Axis(title: "a_{i} & b"))
        panel.add(.line(LineSeries(x: [0, 1], y: [0, 1], label: "model <A> & B")))
        let svg = Figure(title: title, panels: [panel]).svg()
        #expect(svg.contains("Title &lt;b&gt; &amp; &quot;q&quot; &#39;a&#39;"))
        #expect(!svg.contains("<b>"))
        let document = try XMLSummary.parse(svg)
        #expect(document.elements(class: "figure-title").map(\.text) == [title])
        #expect(document.elements(class: "panel-title").map(\.text) == ["<panel>"])
        #expect(document.elements(class: "axis-title").map(\.text) == ["x <&> y", "ai & b"])
        #expect(
            document.elements(class: "legend-entry").map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) } == [
                "model <A> & B"
            ])
    }
}
