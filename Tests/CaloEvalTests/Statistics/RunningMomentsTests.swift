import Foundation
import Testing

@testable import CaloEval

/// Count, mean and spread against hand-computed values.
@Suite struct RunningMomentsTests {
    @Test func meanAndSpreadOfFourValues() {
        let moments = RunningMoments([1, 2, 3, 4])
        #expect(moments.count == 4)
        #expect(moments.mean == 2.5)
        // Σ (x − 2.5)² = 5, sample variance 5/3.
        #expect(abs(moments.standardDeviation - (5.0 / 3).squareRoot()) < 1e-15)
        #expect(abs(moments.standardError - (5.0 / 3).squareRoot() / 2) < 1e-15)
    }

    @Test func emptyAndSingleValuesAreUndefined() {
        #expect(RunningMoments().mean.isNaN && RunningMoments().count == 0)
        let one = RunningMoments([7])
        #expect(one.mean == 7 && one.standardDeviation.isNaN && one.standardError.isNaN)
    }

    @Test func mergingEqualsAddingEverything() {
        let values: [Double] = [1e6 + 1, 1e6 + 2, 1e6 + 4, 1e6 + 8, 1e6 + 16, 1e6 + 32]
        var merged = RunningMoments(values.prefix(2))
        merged.merge(RunningMoments(values.dropFirst(2)))
        merged.merge(RunningMoments())
        let whole = RunningMoments(values)
        #expect(merged.count == 6)
        #expect(abs(merged.mean - whole.mean) < 1e-9)
        #expect(abs(merged.standardDeviation - whole.standardDeviation) < 1e-9)
        // Large offset, small spread: mean 1e6 + 10.5, sample variance 140.7 (no cancellation).
        #expect(abs(whole.mean - (1e6 + 10.5)) < 1e-9)
        #expect(abs(whole.standardDeviation * whole.standardDeviation - 140.7) < 1e-6)
    }
}
