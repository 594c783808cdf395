import CaloEval
import Foundation
import Testing

/// numpy `np.histogram(values, bins=edges, density=True)` semantics, checked on hand-worked cases.
@Suite struct HistogramTests {
    @Test func binsAreHalfOpenAndTheLastBinIsClosed() throws {
        // np.histogram([0, 0.5, 1, 1.5, 2, 2.5, 3], bins=[0, 1, 2, 3]) → [2, 2, 3]
        let histogram = try Histogram([0, 0.5, 1, 1.5, 2, 2.5, 3], edges: [0, 1, 2, 3])
        #expect(histogram.counts == [2, 2, 3])
        #expect(histogram.bin(of: 1) == 1)
        #expect(histogram.bin(of: 3) == 2)
        #expect(histogram.bin(of: 2.9999999999999996) == 2)
    }

    @Test func outOfRangeNaNAndInfinityAreDropped() throws {
        let values: [Double] = [-0.1, 3.0000000000000004, .nan, .infinity, -.infinity, 0, 1.5]
        let histogram = try Histogram(values, edges: [0, 1, 2, 3])
        #expect(histogram.counts == [1, 1, 0])
        #expect(histogram.total == 2)
        #expect(histogram.bin(of: .nan) == nil)
    }

    @Test func densityNormalisesOverInRangeEntriesOnly() throws {
        // np.histogram([0.5, 1.5, 1.7, 5, 9], bins=[0, 1, 3], density=True) → [1/3, 1/3]:
        // 3 in-range entries; bin 0: 1/(1·3), bin 1: 2/(2·3).
        let histogram = try Histogram([0.5, 1.5, 1.7, 5, 9], edges: [0, 1, 3])
        #expect(histogram.counts == [1, 2])
        #expect(histogram.widths == [1, 2])
        let expected: [Double] = [1.0 / 1.0 / 3.0, 2.0 / 2.0 / 3.0]
        #expect(histogram.densities == expected)
        let probabilities = histogram.probabilities
        #expect(Swift.abs(probabilities[0] - 1.0 / 3) < 1e-15)
        #expect(Swift.abs(probabilities[1] - 2.0 / 3) < 1e-15)
        #expect(Swift.abs(probabilities.reduce(0, +) - 1) < 1e-15)
    }

    @Test func emptyHistogramHasNaNDensities() throws {
        let histogram = try Histogram([10, 20], edges: [0, 1, 2])
        #expect(histogram.total == 0)
        let densities = histogram.densities
        #expect(densities.count == 2 && densities[0].isNaN && densities[1].isNaN)
    }

    @Test func mergeAddsCounts() throws {
        var a = try Histogram([0.5, 1.5], edges: [0, 1, 2])
        a.merge(try Histogram([1.2, 1.9, 2], edges: [0, 1, 2]))
        #expect(a.counts == [1, 4])
    }

    @Test func invalidEdgesThrow() {
        #expect(throws: EvaluationError.self) { try Histogram(edges: [1]) }
        #expect(throws: EvaluationError.self) { try Histogram(edges: [0, 2, 1]) }
        #expect(throws: EvaluationError.self) { try Histogram(edges: [0, .nan]) }
    }
}
