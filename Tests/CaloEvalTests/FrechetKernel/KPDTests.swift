import Testing
import Torch
@testable import CaloEval

@Suite struct KPDTests {
    @Test func unbiasedMMDOfHandMadeSamples() throws {
        // x = {0, 1}, y = {2, 3}, d = 1, k = (xy + 1)^p.
        let x = try Tensor([0.0, 1], shape: [2, 1])
        let y = try Tensor([2.0, 3], shape: [2, 1])
        // p = 1: XX = 1, YY = 7, mean XY = (1 + 1 + 3 + 4)/4.
        #expect(isClose(try polynomialKernelMMD(x, y, degree: 1), 1 + 7 - 2 * 9.0 / 4, atol: 1e-12))
        // p = 4: XX = 1, YY = 7⁴ = 2401, mean XY = (1 + 1 + 81 + 256)/4.
        #expect(isClose(try polynomialKernelMMD(x, y, degree: 4), 1 + 2401 - 2 * 339.0 / 4, atol: 1e-9))
    }

    @Test func mmdMatchesJetNetAndDoesNotDependOnTheBlockSize() throws {
        let x = try MetricFixtures.input("fpd.reference").narrowed(dim: 0, start: 0, length: 400)
        let y = try MetricFixtures.input("fpd.generated").narrowed(dim: 0, start: 0, length: 300)
        let expected = try MetricFixtures.golden().mmdPolyUnbiased
        let ours = try polynomialKernelMMD(x, y)
        validationReport("mmd ours \(ours) jetnet \(expected)")
        #expect(isClose(ours, expected, rtol: 1e-10))
        #expect(isClose(try polynomialKernelMMD(x, y, maxBlockElements: 1000), expected, rtol: 1e-10))
    }

    @Test func kpdMatchesJetNet() throws {
        let golden = try MetricFixtures.golden().kpd
        let inputs = try MetricFixtures.inputs()
        let configuration = KPDConfiguration(batchSize: 1000)
        let measurement = try kpdMeasurement(
            reference: #require(inputs["fpd.reference"]), generated: #require(inputs["fpd.generated"]),
            configuration: configuration)
        #expect(measurement.batchValues.count == golden.shiftedBatches.count)
        for (ours, theirs) in zip(measurement.batchValues, golden.shiftedBatches) {
            #expect(isClose(ours, theirs, rtol: 1e-9), "\(ours) vs \(theirs)")
        }
        for (pair, expected) in [
            (("fpd.reference", "fpd.generated"), golden.shifted), (("fpd.same_a", "fpd.same_b"), golden.same),
        ] {
            let result = try kpd(
                reference: #require(inputs[pair.0]), generated: #require(inputs[pair.1]), configuration: configuration)
            validationReport("kpd \(pair) ours \(result.value) ± \(result.error) jetnet \(expected[0]) ± \(expected[1])")
            #expect(isClose(result.value, expected[0], rtol: 1e-8, atol: 1e-13), "\(pair): \(result.value) vs \(expected[0])")
            #expect(isClose(result.error, expected[1], rtol: 1e-8, atol: 1e-13), "\(pair): \(result.error) vs \(expected[1])")
        }
    }

    @Test func kpdSeesNoDifferenceWithinOneDistributionAndAShiftBetweenTwo() throws {
        let g = try Generator(seed: 5)
        let x = try Tensor.randn([2000, 5], dtype: .float64, generator: g)
        let y = try Tensor.randn([2000, 5], dtype: .float64, generator: g)
        let configuration = KPDConfiguration(batchSize: 500)
        let same = try kpd(reference: x, generated: y, configuration: configuration)
        #expect(abs(same.value) < 3 * same.error, "\(same)")
        let shifted = try kpd(reference: x, generated: y + 0.5, configuration: configuration)
        #expect(shifted.value > 10 * shifted.error, "\(shifted)")
    }

    @Test func summaryIsTheMedianAndHalfTheCentralSpread() {
        let values = (0..<10).map(Double.init).reversed()
        let summary = KPDMeasurement(batchValues: Array(values)).summarised()
        #expect(summary.value == 4.5)
        // Percentiles by linear interpolation at (n − 1)·q: 7.53525 − 1.46475.
        #expect(isClose(summary.error, (7.53525 - 1.46475) / 2, atol: 1e-12))
        #expect(numpyPercentile(sorted: [1, 2, 3], 50) == 2)
        #expect(numpyMedian(sorted: [1, 2, 3, 10]) == 2.5)
    }

    @Test func reportedNumbersAreTimesAThousand() {
        let distance = PhysicsDistance(value: 1.2346e-4, error: 6e-5)
        #expect(distance.valueTimes1000 == 1.2346e-4 * 1e3)
        #expect(distance.description == "0.1235 ± 0.0600 (×10⁻³)")
    }

    @Test func tooSmallBatchesAreRejected() throws {
        let x = try Tensor.zeros([10, 3], dtype: .float64)
        #expect(throws: EvaluationError.self) { try kpd(reference: x, generated: x, configuration: KPDConfiguration(batchSize: 1)) }
    }
}
