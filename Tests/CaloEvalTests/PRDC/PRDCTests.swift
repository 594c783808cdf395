import Testing
import Torch
@testable import CaloEval

@Suite struct PRDCTests {
    func points(_ values: [Double]) throws -> Tensor { try Tensor(values, shape: [values.count, 1]) }

    @Test func handMadeOneDimensionalSets() throws {
        // Real 0, 1, 2, 3 (k = 1 radii all 1); fake 0.5 and 10 (radii 9.5).
        // precision: 0.5 lies in the balls of 0 and 1, 10 in none → 1/2; density (2 + 0)/2 = 1;
        // recall: every real is within 9.5 of 0.5 → 1; coverage: nearest fake of 0 and 1 is at 0.5 < 1,
        // of 2 and 3 at 1.5 and 2.5 → 1/2.
        let scores = try prdc(
            real: points([0, 1, 2, 3]), fake: points([0.5, 10]), configuration: PRDCConfiguration(nearestK: 1))
        #expect(scores == PRDCScores(precision: 0.5, recall: 1, density: 1, coverage: 0.5))
    }

    @Test func distancesEqualTheDirectFormula() throws {
        let g = try Generator(seed: 3)
        let x = try Tensor.randn([7, 50], dtype: .float64, generator: g)
        let y = try Tensor.cat([Tensor.randn([9, 50], dtype: .float64, generator: g) * 3, x.narrowed(dim: 0, start: 0, length: 1)])
        let distances = try euclideanDistances(x, y, squaredNorms: rowSquaredNorms(y))
        #expect(distances.shape == [7, 10])
        let a = try x.toArray(Double.self), b = try y.toArray(Double.self), d = try distances.toArray(Double.self)
        for i in 0..<7 {
            for j in 0..<10 {
                let direct = (0..<50).reduce(0.0) { $0 + (a[i * 50 + $1] - b[j * 50 + $1]) * (a[i * 50 + $1] - b[j * 50 + $1]) }.squareRoot()
                #expect(abs(d[i * 10 + j] - direct) <= 1e-12 * Swift.max(direct, 10), "(\(i), \(j)): \(d[i * 10 + j]) vs \(direct)")
            }
        }
        // A point against itself: the expansion cancels to ~0 and never goes negative (no NaN).
        #expect(d[9] >= 0 && d[9] < 1e-6)
    }

    @Test func comparisonsAreStrict() throws {
        // Fake 4 is exactly at distance 1 = r from real 3: not inside. Real radii (k = 1) are 1; the fake
        // set {4, 6} has radii 2, and real 3 is at distance 1 < 2 from 4 → recall 1/4.
        let scores = try prdc(real: points([0, 1, 2, 3]), fake: points([4, 6]), configuration: PRDCConfiguration(nearestK: 1))
        #expect(scores == PRDCScores(precision: 0, recall: 0.25, density: 0, coverage: 0))
    }

    @Test func radiiExcludeTheSelfDistanceButNotDuplicates() throws {
        let radii = try nearestNeighbourRadii(points([0, 0, 3, 7]), nearestK: 1).toArray(Double.self)
        #expect(radii == [0, 0, 3, 4])
        let second = try nearestNeighbourRadii(points([0, 0, 3, 7]), nearestK: 2).toArray(Double.self)
        #expect(second == [3, 3, 3, 7])
    }

    @Test(arguments: [1, 3, 5])
    func triangularStripsGiveTheRadiiOfTheFullMatrix(k: Int) throws {
        // 61 points (two of them duplicates) against a direct sort of every full row, for strips of one
        // row (1 element), of fewer rows than k + 1 (7 and 97 elements), and the whole triangle at once.
        let g = try Generator(seed: 5)
        let base = try Tensor.randn([60, 4], dtype: .float64, generator: g)
        let x = try Tensor.cat([base, base.narrowed(dim: 0, start: 17, length: 1)])
        let count = 61, d = 4
        let a = try x.toArray(Double.self)
        let expected = (0..<count).map { i -> Double in
            let row = (0..<count).map { j in
                i == j ? 0 : (0..<d).reduce(0.0) { $0 + (a[i * d + $1] - a[j * d + $1]) * (a[i * d + $1] - a[j * d + $1]) }.squareRoot()
            }
            return row.sorted()[k]
        }
        if k == 1 { #expect(expected[17] == 0 && expected[60] == 0) }  // a duplicate's nearest neighbour
        for blockElements in [1, 7, 97, 1 << 25] {
            var reports: [(Int, Int)] = []
            let radii = try nearestNeighbourRadii(x, nearestK: k, maxBlockElements: blockElements) { reports.append(($0, $1)) }
                .toArray(Double.self)
            for i in 0..<count {
                #expect(abs(radii[i] - expected[i]) <= 1e-12 * Swift.max(expected[i], 1), "point \(i), block \(blockElements)")
            }
            #expect(reports.last.map { $0 == (count * (count + 1) / 2, count * (count + 1) / 2) } == true)
            #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.0 < $1.0 })
        }
    }

    @Test func defaultStripsGiveTheRadiiOfTheFullMatrix() throws {
        // 2 000 points: five strips of 256, 293, 352, 465 and 634 rows (the default size rule), against
        // the k-th smallest of every row of the whole matrix computed at once, as the prdc package does.
        let x = try Tensor.randn([2000, 16], dtype: .float64, generator: Generator(seed: 8))
        let full = try euclideanDistances(x, x, squaredNorms: rowSquaredNorms(x))
            .maskedFill(Tensor.eye(2000, dtype: .bool), 0)
        var strips = 0
        let radii = try nearestNeighbourRadii(x, nearestK: 5) { _, _ in strips += 1 }
        let expected = try full.topk(6, dim: 1, largest: false, sorted: true).values.selecting(dim: 1, index: 5)
        #expect(strips == 5)
        let difference: Double = try ((radii - expected).abs() / expected).amax().item()
        #expect(difference < 1e-13)
    }

    @Test func matchesThePRDCPackage() throws {
        let golden = try MetricFixtures.golden().prdc
        let real = try MetricFixtures.input("prdc.real")
        let fake = try MetricFixtures.input("prdc.fake")
        for k in [1, 3, 5] {
            let expected = try #require(golden["k\(k)"])
            for blockElements in [1 << 25, 97] {
                let scores = try prdc(
                    real: real, fake: fake, configuration: PRDCConfiguration(nearestK: k, maxBlockElements: blockElements))
                if blockElements == 97 { validationReport("prdc k\(k) ours \(scores) package \(expected)") }
                #expect(isClose(scores.precision, expected.precision, atol: 1e-12), "k = \(k)")
                #expect(isClose(scores.recall, expected.recall, atol: 1e-12), "k = \(k)")
                #expect(isClose(scores.density, expected.density, atol: 1e-12), "k = \(k)")
                #expect(isClose(scores.coverage, expected.coverage, atol: 1e-12), "k = \(k)")
            }
        }
    }

    @Test func float32DistancesGiveTheSameScoresHere() throws {
        let expected = try #require(try MetricFixtures.golden().prdc["k5"])
        let scores = try prdc(
            real: MetricFixtures.input("prdc.real"), fake: MetricFixtures.input("prdc.fake"),
            configuration: PRDCConfiguration(dtype: .float32))
        #expect(
            scores
                == PRDCScores(
                    precision: expected.precision, recall: expected.recall, density: expected.density, coverage: expected.coverage
                ))
    }

    @Test func showersThroughTheLogTransformMatchEvaluatePy() throws {
        let expected = try #require(try MetricFixtures.golden().prdc["showers_k5"])
        let real = try prdcLogTransformed(MetricFixtures.input("prdc.real_showers"))
        let fake = try prdcLogTransformed(MetricFixtures.input("prdc.fake_showers"))
        let scores = try prdc(real: real, fake: fake)
        validationReport("prdc showers ours \(scores) package \(expected)")
        #expect(isClose(scores.precision, expected.precision, atol: 1e-12))
        #expect(isClose(scores.recall, expected.recall, atol: 1e-12))
        #expect(isClose(scores.density, expected.density, atol: 1e-12))
        #expect(isClose(scores.coverage, expected.coverage, atol: 1e-12))
    }

    @Test func logTransformMapsZerosToMinusOne() throws {
        let showers = try Tensor([Float(0), 0.1, 1, 100, 0.05], shape: [1, 5])
        let transformed = try prdcLogTransformed(showers).toArray(Double.self)
        #expect(transformed[0] == -1 && transformed[2] == 0 && transformed[3] == 2)
        #expect(isClose(transformed[1], -1, atol: 1e-7) && transformed[4] < -1.3)
    }

    @Test func precomputedRadiiGiveTheSameScores() throws {
        let real = try MetricFixtures.input("prdc.real")
        let fake = try MetricFixtures.input("prdc.fake")
        let radii = (try nearestNeighbourRadii(real, nearestK: 5), try nearestNeighbourRadii(fake, nearestK: 5))
        #expect(try prdc(real: real, realRadii: radii.0, fake: fake, fakeRadii: radii.1) == prdc(real: real, fake: fake))
    }

    @Test func tooFewPointsOrMismatchedRadiiAreRejected() throws {
        #expect(throws: EvaluationError.self) { try nearestNeighbourRadii(points([0, 1, 2]), nearestK: 3) }
        let x = try points([0, 1, 2, 3, 4, 5, 6])
        #expect(throws: EvaluationError.self) {
            try prdc(
                real: x, realRadii: Tensor.zeros([3], dtype: .float64), fake: x, fakeRadii: Tensor.zeros([7], dtype: .float64))
        }
    }

    @Test(.enabled(if: CUDA.isAvailable)) func runsOnCUDA() throws {
        let real = try MetricFixtures.input("prdc.real").to(.cuda(0))
        let fake = try MetricFixtures.input("prdc.fake").to(.cuda(0))
        let expected = try #require(try MetricFixtures.golden().prdc["k5"])
        let scores = try prdc(real: real, fake: fake)
        #expect(
            isClose(scores.density, expected.density, atol: 1e-12) && isClose(scores.coverage, expected.coverage, atol: 1e-12))
    }
}
