import Foundation
import Testing
import _TestSupport

@testable import Figures

/// Mapping data values to pixels on linear and log axes.
@Suite struct AxisScaleTests {
    @Test func linearMappingAndInverse() {
        let x = ScaleMapping(scale: .linear, domain: 0...10, start: 100, end: 200)
        #expect(x.map(0) == 100)
        #expect(x.map(5) == 150)
        #expect(x.map(10) == 200)
        #expect(x.invert(175) == 7.5)
        // A y axis: pixels grow downwards.
        let y = ScaleMapping(scale: .linear, domain: -1...1, start: 300, end: 100)
        #expect(y.map(-1) == 300)
        #expect(y.map(0) == 200)
        #expect(y.map(1) == 100)
    }

    @Test func logMappingAndNonPositiveValues() {
        let x = ScaleMapping(scale: .log, domain: 1...1000, start: 0, end: 300)
        #expect(abs(x.map(10) - 100) < 1e-9)
        #expect(abs(x.map(100) - 200) < 1e-9)
        #expect(abs(x.invert(150) - pow(10, 1.5)) < 1e-9)
        #expect(x.map(0) == -.infinity)
        // Clamped: just outside the plot area, so clipping hides it.
        #expect(x.clampedMap(0) == -20)
        #expect(x.clampedMap(1e9) == 320)
        let y = ScaleMapping(scale: .log, domain: 1...100, start: 200, end: 0)
        #expect(y.clampedMap(-5) == 220)
    }
}
