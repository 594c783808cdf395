import Foundation
import Testing
import _TestSupport

@testable import Figures

/// Colour maps and colour scales.
@Suite struct ColorMapTests {
    @Test func colourScales() {
        #expect(ColorMap.viridis.color(at: 0) == Color(hex: 0x440154))
        #expect(ColorMap.viridis.color(at: 1) == Color(hex: 0xFDE725))
        #expect(ColorMap.diverging.color(at: 0.5) == Color(hex: 0xF7F7F7))
        let scale = ColorScale.logarithmic(values: [0, 1e-9, 1, 100], decades: 4)
        #expect(scale.range == 0.01...100)
        #expect(scale.color(for: 0) == .white)
        #expect(scale.color(for: 1e-9) == .white)
        #expect(scale.color(for: 100).hexString == "#fde725")
        #expect(scale.color(for: .nan) == .missing)
        #expect(Color(hex: 0xD55E00).hexString == "#d55e00")
    }
}
