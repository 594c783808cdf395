import Foundation
import Testing
import _TestSupport

@testable import Figures

/// Tick positions and labels: nice steps, decimals, decades, degenerate ranges.
@Suite struct TicksTests {
    @Test func niceStepsOnHandCases() {
        #expect(Ticks.niceStep(span: 10, targetCount: 5) == 2)
        #expect(Ticks.niceStep(span: 1, targetCount: 4) == 0.25)
        #expect(Ticks.niceStep(span: 7, targetCount: 5) == 1)
        #expect(Ticks.niceStep(span: 100, targetCount: 2) == 50)
        #expect(Ticks.niceStep(span: 0.003, targetCount: 3) == 0.001)
        #expect(Ticks.niceStep(span: 60, targetCount: 6) == 10)
    }

    @Test func linearTicksAreNiceNumbersWithMatchingDecimals() {
        let integers = Ticks.linear(in: 0...10, targetCount: 5)
        #expect(integers.map(\.value) == [0, 2, 4, 6, 8, 10])
        #expect(integers.map { $0.label?.description } == ["0", "2", "4", "6", "8", "10"])

        let halves = Ticks.linear(in: -1...1, targetCount: 4)
        #expect(halves.map(\.value) == [-1, -0.5, 0, 0.5, 1])
        #expect(halves.map { $0.label?.description } == ["−1.0", "−0.5", "0.0", "0.5", "1.0"])

        // 3 × 0.1 is 0.30000000000000004 in binary; the label must not show it.
        let tenths = Ticks.linear(in: 0...0.3, targetCount: 3)
        #expect(tenths.map { $0.label?.description } == ["0.0", "0.1", "0.2", "0.3"])

        let quarters = Ticks.linear(in: 0.5...1.5, targetCount: 4)
        #expect(quarters.map { $0.label?.description } == ["0.50", "0.75", "1.00", "1.25", "1.50"])

        // The range need not start on a tick.
        #expect(Ticks.linear(in: 0.93...1.07, targetCount: 3).map(\.value) == [0.95, 1.0, 1.05])

        let large = Ticks.linear(in: 0...200_000, targetCount: 4)
        #expect(large.map { $0.label?.description } == ["0", "5×10^4", "10^5", "1.5×10^5", "2×10^5"])
    }

    @Test func logTicksAreDecadesWithMinorTicks() {
        let ticks = Ticks.log(in: 1...10_000)
        let major = ticks.filter(\.isMajor)
        #expect(major.map(\.value) == [1, 10, 100, 1000, 10_000])
        #expect(major.map { $0.label?.description } == ["10^0", "10^1", "10^2", "10^3", "10^4"])
        #expect(ticks.filter { !$0.isMajor }.count == 8 * 4)

        // Sub-unit decades print a minus sign in the exponent.
        let small = Ticks.log(in: 1e-3...1).filter(\.isMajor)
        #expect(small.map { $0.label?.description } == ["10^−3", "10^−2", "10^−1", "10^0"])

        // Many decades: every third is labelled, the others are unlabelled ticks, no minor ticks.
        let wide = Ticks.log(in: 1e-9...1e-3, maxLabels: 3)
        #expect(wide.count == 7)
        #expect(wide.filter(\.isMajor).map(\.value).map { (log10($0) * 1000).rounded() / 1000 } == [-9, -6, -3])

        // Less than two decades: 1-2-5 multiples.
        #expect(Ticks.log(in: 2...30).map(\.value) == [2, 5, 10, 20])
        #expect(Ticks.log(in: 2...30).map { $0.label?.description } == ["2", "5", "10", "20"])
        // Less than a decade: finer multiples.
        #expect(Ticks.log(in: 0.5...0.9).map { $0.label?.description } == ["0.5", "0.6", "0.7", "0.8", "0.9"])
    }

    @Test func degenerateRangesGiveFewTicksAndNoTrap() {
        #expect(Ticks.linear(in: 5...5).map(\.value) == [5])
        #expect(Ticks.linear(in: -Double.infinity...0).isEmpty)
        #expect(Ticks.log(in: 1...Double.infinity).isEmpty)
        #expect(Ticks.linear(in: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude).count <= 1)
    }
}
