import Testing
@testable import CaloEval

@Suite struct IsotonicRegressionTests {
    @Test func poolsAdjacentViolatorsIntoTheirMeans() {
        #expect(isotonicRegression([1, 3, 2, 4]) == [1, 2.5, 2.5, 4])
        // sklearn's docstring example.
        let fitted = isotonicRegression([5, 3, 1, 2, 8, 10, 7, 9, 6, 4])
        #expect(fitted.prefix(4).allSatisfy { $0 == 2.75 })
        #expect(fitted.suffix(6).allSatisfy { isClose($0, 44.0 / 6, atol: 1e-12) })
    }

    @Test func outputIsMonotoneAndKeepsSortedInput() {
        let sorted = [0.0, 0.1, 0.1, 0.5, 2]
        #expect(isotonicRegression(sorted) == sorted)
        let y = [3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
        let fitted = isotonicRegression(y)
        #expect(zip(fitted, fitted.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(isClose(fitted.reduce(0, +), y.reduce(0, +), atol: 1e-12))  // pooling keeps the total
    }

    @Test func weightsEnterThePooledMean() {
        #expect(isotonicRegression([1, 0], weights: [1, 3]) == [0.25, 0.25])
    }

    @Test func calibrationMapMergesTiesInterpolatesAndClips() throws {
        let map = try IsotonicRegression(fitting: [0, 0, 1], [0, 1, 1])
        #expect(map.thresholds == [0, 1] && map.values == [0.5, 1])
        #expect(map(0.5) == 0.75)
        #expect(map(-1) == 0.5 && map(2) == 1)
        let bounded = try IsotonicRegression(fitting: [0, 1, 2, 3], [0, 0, 1, 1], minimum: 1e-6, maximum: 1 - 1e-6)
        #expect(bounded.values == [1e-6, 1e-6, 1 - 1e-6, 1 - 1e-6])
        #expect(isClose(bounded(1.5), 0.5, atol: 1e-15))
    }

    @Test func nearlyEqualInputsAreMergedLikeSklearn() throws {
        // x values closer than 1e-15 to a run's first value join that run.
        let map = try IsotonicRegression(fitting: [1e-20, 5e-16, 0.5], [0, 1, 1])
        #expect(map.thresholds == [1e-20, 0.5])
        #expect(map.values == [0.5, 1])
    }

    @Test func invalidInputsAreRejected() {
        #expect(throws: EvaluationError.self) { try IsotonicRegression(fitting: [0, 1], [1]) }
        #expect(throws: EvaluationError.self) { try IsotonicRegression(fitting: [.nan], [1]) }
        #expect(throws: EvaluationError.self) { try IsotonicRegression(fitting: [1], [1], weights: [0]) }
    }
}
