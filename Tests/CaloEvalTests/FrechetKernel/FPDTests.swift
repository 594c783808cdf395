import Foundation
import Testing
import Torch
@testable import CaloEval

@Suite struct FPDTests {
    func statistics(_ mean: [Double], _ covariance: [Double]) throws -> GaussianStatistics {
        try GaussianStatistics(mean: Tensor(mean), covariance: Tensor(covariance, shape: [mean.count, mean.count]))
    }

    @Test func frechetDistanceOfCommutingDiagonalCovariances() throws {
        // ‖(1, 2)‖² + (4 + 9) + (1 + 16) − 2(√(4·1) + √(9·16)) = 5 + 30 − 2·14 = 7.
        let a = try statistics([1, 2], [4, 0, 0, 9])
        let b = try statistics([0, 0], [1, 0, 0, 16])
        #expect(isClose(try frechetDistance(a, b), 7, atol: 1e-12))
    }

    @Test func frechetDistanceWithAScalarCovarianceAgainstARotatedOne() throws {
        // Σ₁ = s·I commutes with everything: Tr(Σ₁Σ₂)^{1/2} = √s·(√λ₁ + √λ₂) for Σ₂ = R·diag(λ)·Rᵀ.
        let s = 2.0, l1 = 3.0, l2 = 0.5, angle = 0.7
        let (c, n) = (cos(angle), sin(angle))
        let sigma2 = [c * c * l1 + n * n * l2, c * n * (l1 - l2), c * n * (l1 - l2), n * n * l1 + c * c * l2]
        let a = try statistics([0.5, -1], [s, 0, 0, s])
        let b = try statistics([0, 1], sigma2)
        let expected = 0.25 + 4 + 2 * s + l1 + l2 - 2 * s.squareRoot() * (l1.squareRoot() + l2.squareRoot())
        #expect(isClose(try frechetDistance(a, b), expected, atol: 1e-12))
    }

    @Test func frechetDistanceOfEqualGaussiansIsZero() throws {
        let a = try statistics([1, 2, 3], [2, 0.5, 0.1, 0.5, 1, 0.2, 0.1, 0.2, 3])
        #expect(abs(try frechetDistance(a, a)) < 1e-12)
    }

    @Test func frechetDistanceMatchesJetNet() throws {
        let inputs = try MetricFixtures.inputs()
        let a = try GaussianStatistics(mean: #require(inputs["frechet.mu1"]), covariance: #require(inputs["frechet.sigma1"]))
        let b = try GaussianStatistics(mean: #require(inputs["frechet.mu2"]), covariance: #require(inputs["frechet.sigma2"]))
        let expected = try MetricFixtures.golden().frechetDistance
        let ours = try frechetDistance(a, b)
        validationReport("frechet ours \(ours) jetnet \(expected)")
        #expect(isClose(ours, expected, atol: 1e-8))
    }

    @Test func gaussianStatisticsAreTheMeanAndUnbiasedCovariance() throws {
        let x = try Tensor([1.0, 2, 3, 6, 5, 4], shape: [3, 2])
        let stats = try GaussianStatistics(features: x)
        #expect(try stats.mean.toArray(Double.self) == [3, 4])
        // Centred rows (−2, −2), (0, 2), (2, 0): Σ = [[8, 4], [4, 8]] / 2.
        #expect(try stats.covariance.toArray(Double.self) == [4, 2, 2, 4])
    }

    @Test func sampleSizesAreJetNetsTruncatedReciprocals() throws {
        let golden = try MetricFixtures.golden().fpd
        #expect(FPDConfiguration.caloChallenge.sampleSizes == golden.caloChallengeSampleSizes)
        #expect(
            FPDConfiguration.caloChallenge.sampleSizes == [10000, 10975, 12162, 13636, 15517, 18000, 21428, 26470, 34615, 49999])
        #expect(FPDConfiguration(minSamples: 500, maxSamples: 2000).sampleSizes == golden.sampleSizes)
    }

    @Test func fpdMatchesJetNet() throws {
        let golden = try MetricFixtures.golden().fpd
        let inputs = try MetricFixtures.inputs()
        let configuration = FPDConfiguration(minSamples: 500, maxSamples: 2000)
        let cases = [
            (("fpd.reference", "fpd.generated"), golden.shifted, golden.shiftedMeans),
            (("fpd.same_a", "fpd.same_b"), golden.same, golden.sameMeans),
        ]
        for (pair, expected, expectedMeans) in cases {
            let measurement = try fpdMeasurement(
                reference: #require(inputs[pair.0]), generated: #require(inputs[pair.1]), configuration: configuration)
            // Same rows as JetNet; only the matrix square root differs (eigh here, Schur there).
            #expect(
                zip(measurement.meanDistances, expectedMeans).allSatisfy { isClose($0, $1, rtol: 1e-9, atol: 1e-13) },
                "\(pair): \(measurement.meanDistances) vs \(expectedMeans)")
            // scipy's trust-region fit stops at a relative cost change of 1e-8 and keeps iterates inside the
            // bounds, so its intercept is off the exact least-squares one by far less than the error.
            let result = measurement.extrapolated()
            let worst = zip(measurement.meanDistances, expectedMeans).map { abs($0 - $1) / abs($1) }.max() ?? 0
            validationReport(
                "fpd \(pair) ours \(result.value) ± \(result.error) jetnet \(expected[0]) ± \(expected[1]) worst-mean-rel \(worst)"
            )
            #expect(abs(result.value - expected[0]) < 1e-3 * expected[1], "\(pair): \(result.value) vs \(expected[0])")
            #expect(abs(result.error - expected[1]) < 1e-3 * expected[1], "\(pair): \(result.error) vs \(expected[1])")
            #expect(
                try fpd(reference: #require(inputs[pair.0]), generated: #require(inputs[pair.1]), configuration: configuration)
                    == result)
        }
    }

    @Test func fpdOfTwoSamplesOfOneDistributionIsCompatibleWithZero() throws {
        let g = try Generator(seed: 3)
        let x = try Tensor.randn([3000, 4], dtype: .float64, generator: g)
        let y = try Tensor.randn([3000, 4], dtype: .float64, generator: g)
        let result = try fpd(
            reference: x, generated: y, configuration: FPDConfiguration(minSamples: 500, maxSamples: 3000, batchCount: 5))
        #expect(result.value >= 0)
        #expect(result.value < max(3 * result.error, 1e-4), "\(result)")
        let shifted = try fpd(
            reference: x, generated: y + 0.3, configuration: FPDConfiguration(minSamples: 500, maxSamples: 3000, batchCount: 5))
        #expect(shifted.value > 20 * shifted.error, "\(shifted)")
    }

    @Test func boundedFitIsExactOnALineAndClipsANegativeIntercept() {
        let x = [0.1, 0.2, 0.3, 0.4]
        let line = boundedLinearFit(x: x, y: x.map { 2 + 3 * $0 })
        #expect(isClose(line.intercept, 2, atol: 1e-12) && isClose(line.slope, 3, atol: 1e-12))
        #expect(line.interceptError < 1e-12)
        // The unconstrained fit has intercept −1; with a ≥ 0 the best line goes through the origin.
        let clipped = boundedLinearFit(x: x, y: x.map { -1 + 10 * $0 })
        #expect(clipped.intercept == 0)
        let slope = zip(x, x.map { -1 + 10 * $0 }).reduce(0) { $0 + $1.0 * $1.1 } / x.reduce(0) { $0 + $1 * $1 }
        #expect(isClose(clipped.slope, slope, atol: 1e-12))
    }

    @Test func normalisationDividesByTheReferenceMaximumAndLeavesZeroColumns() throws {
        let reference = try Tensor([-4.0, 0, 2, 0], shape: [2, 2])
        let generated = try Tensor([8.0, 5], shape: [1, 2])
        let (x, y) = try maxAbsNormalised(reference: reference, generated: generated)
        #expect(try x.toArray(Double.self) == [-1, 0, 0.5, 0])
        #expect(try y.toArray(Double.self) == [2, 5])
    }

    @Test func mismatchedFeaturesAreRejected() throws {
        let x = try Tensor.zeros([10, 3], dtype: .float64)
        let y = try Tensor.zeros([10, 4], dtype: .float64)
        #expect(throws: EvaluationError.self) { try fpd(reference: x, generated: y) }
        #expect(throws: EvaluationError.self) { try GaussianStatistics(features: Tensor.zeros([1, 3])) }
        #expect(throws: EvaluationError.self) {
            try fpd(reference: x, generated: x, configuration: FPDConfiguration(minSamples: 1))
        }
    }
}
