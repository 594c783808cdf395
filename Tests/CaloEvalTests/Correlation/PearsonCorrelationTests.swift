import CaloEval
import Foundation
import Testing

@Suite struct PearsonCorrelationTests {
    @Test func perfectlyCorrelatedAndAnticorrelated() {
        let x = (0..<50).map { Double($0) * 0.37 + sin(Double($0)) }
        let matrix = PearsonCorrelation.matrix([x, x.map { 3 * $0 + 2 }, x.map { -0.5 * $0 + 7 }])
        #expect(matrix[0][0] == 1 && matrix[1][1] == 1 && matrix[2][2] == 1)
        #expect(Swift.abs(matrix[0][1] - 1) < 1e-14)
        #expect(Swift.abs(matrix[0][2] + 1) < 1e-14)
        #expect(Swift.abs(matrix[1][2] + 1) < 1e-14)
        #expect(matrix[1][0] == matrix[0][1])
    }

    @Test func independentVariablesAreUncorrelated() {
        // x and y = x² on a symmetric grid: exactly uncorrelated.
        let x = (-10...10).map(Double.init)
        let matrix = PearsonCorrelation.matrix([x, x.map { $0 * $0 }])
        #expect(Swift.abs(matrix[0][1]) < 1e-15)
        // Two independent pseudo-random sequences: |r| of order 1/sqrt(n).
        var generator = SeededGenerator(seed: 3)
        let a = (0..<20_000).map { _ in Double(generator.index(below: 1_000_000)) }
        let b = (0..<20_000).map { _ in Double(generator.index(below: 1_000_000)) }
        #expect(Swift.abs(PearsonCorrelation.matrix([a, b])[0][1]) < 4 / sqrt(20_000.0))
    }

    @Test func constantLayerGivesZeroNotNaN() {
        let matrix = PearsonCorrelation.matrix([[1, 2, 3, 4], [5, 5, 5, 5]])
        #expect(matrix == [[1, 0], [0, 1]])
    }

    @Test func matchesNumpyCorrcoef() throws {
        let golden = try TestFixtures.golden().correlation
        let matrix = PearsonCorrelation.matrix(golden.columns)
        for (row, expected) in zip(matrix, golden.corrcoef) {
            for (value, reference) in zip(row, expected) { #expect(Swift.abs(value - reference) < 1e-13) }
        }
    }

    @Test func differenceAndSummary() {
        let reference: [[Double]] = [[1, 0.5, 0.2], [0.5, 1, -0.1], [0.2, -0.1, 1]]
        let generated: [[Double]] = [[1, 0.6, 0.2], [0.6, 1, -0.4], [0.2, -0.4, 1]]
        let difference = PearsonCorrelation.difference(generated, reference)
        #expect(Swift.abs(difference[0][1] - 0.1) < 1e-15 && Swift.abs(difference[1][2] + 0.3) < 1e-15 && difference[0][0] == 0)
        let summary = PearsonCorrelation.summary(of: difference)
        #expect(Swift.abs(summary.maximumAbsolute - 0.3) < 1e-15)
        #expect(Swift.abs(summary.meanAbsolute - 0.4 / 3) < 1e-15)
    }
}
