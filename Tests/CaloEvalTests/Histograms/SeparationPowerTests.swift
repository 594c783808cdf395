import CaloEval
import Foundation
import Testing

@Suite struct SeparationPowerTests {
    @Test func identicalHistogramsHaveZeroSeparation() throws {
        let values = (0..<1000).map { sin(Double($0)) }
        let edges = BinEdges.linear(from: -1, to: 1, count: 21)
        let s = try separationPower(try Histogram(values, edges: edges), try Histogram(values.reversed(), edges: edges))
        #expect(s == 0)
    }

    @Test func disjointHistogramsHaveSeparationOne() throws {
        let edges = BinEdges.linear(from: 0, to: 10, count: 11)
        let low = try Histogram([0.5, 1.5, 1.6, 2.2], edges: edges)
        let high = try Histogram([7.5, 8.5, 9.9], edges: edges)
        #expect(Swift.abs(try separationPower(low, high) - 1) < 1e-15)
    }

    @Test func partialOverlapMatchesTheFormula() throws {
        // p = [0.5, 0.5, 0], q = [0, 0.5, 0.5]: S = ½ (0.25/0.5 + 0 + 0.25/0.5) = 0.5.
        let edges: [Double] = [0, 1, 2, 3]
        let s = try separationPower(try Histogram([0.5, 1.5], edges: edges), try Histogram([1.5, 2.5], edges: edges))
        #expect(Swift.abs(s - 0.5) < 1e-15)
        // The probability form, with unequal bin widths: densities are turned into density · width.
        let wide = try Histogram([0.5, 5], edges: [0, 1, 10])
        #expect(wide.probabilities == [0.5, 0.5])
        #expect(separationPower(referenceProbabilities: [0.2, 0.8], generatedProbabilities: [0.2, 0.8]) == 0)
        #expect(
            Swift.abs(
                separationPower(referenceProbabilities: [0.2, 0.8], generatedProbabilities: [0.6, 0.4]) - 0.5
                    * (0.16 / 0.8 + 0.16 / 1.2)) < 1e-15)
    }

    @Test func emptyHistogramGivesNaNAsInTheOfficialCode() throws {
        let edges: [Double] = [0, 1, 2]
        #expect(try separationPower(try Histogram([0.5], edges: edges), try Histogram([5], edges: edges)).isNaN)
    }

    @Test func differentEdgesThrow() throws {
        #expect(throws: EvaluationError.self) {
            try separationPower(try Histogram([0.5], edges: [0, 1]), try Histogram([0.5], edges: [0, 2]))
        }
    }
}
