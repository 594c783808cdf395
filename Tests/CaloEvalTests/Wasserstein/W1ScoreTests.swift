import CaloData
import CaloEval
import Foundation
import Testing

@Suite struct W1ScoreTests {
    func observables(_ columns: [String: [Double]], cells: [Double]) -> W1Observables {
        W1Observables(
            perEvent: columns.keys.sorted().map { W1Observables.Column(key: $0, values: columns[$0]!) }, cellEnergies: cells)
    }

    @Test func shiftedObservableScoresTheShiftInReferenceStandardDeviations() {
        let x = (0..<400).map { sin(Double($0)) * 2 + 1 }
        let sigma = W1ScoreTests.populationStandardDeviation(x)
        let reference = observables(["E_ratio": x, "N_hits": x], cells: x)
        let generated = observables(["E_ratio": x.map { $0 + 0.3 }, "N_hits": x], cells: x.map { $0 + 1 })
        // Subsample = whole file: every repetition sees all events, so the spread is 0.
        let scores = W1Comparison.scores(
            reference: reference, generated: generated, settings: W1Settings(subsampleSize: 400, repetitions: 3), seed: 1)
        let byKey = Dictionary(uniqueKeysWithValues: scores.map { ($0.key, $0) })
        #expect(scores.map(\.key) == ["N_hits", "E_ratio", "E_cell"])
        #expect(Swift.abs(byKey["E_ratio"]!.mean - 0.3 / sigma) < 1e-12)
        #expect(byKey["E_ratio"]!.standardDeviation < 1e-12)
        #expect(byKey["N_hits"]!.mean == 0)
        #expect(Swift.abs(byKey["E_cell"]!.mean - 1 / sigma) < 1e-12)
    }

    @Test func identicalFilesScoreNearZeroAndSubsamplesFollowTheSeed() {
        var generator = SeededGenerator(seed: 8)
        let x = (0..<5000).map { _ in Double(generator.index(below: 100_000)) / 1000 }
        let file = observables(["E_ratio": x], cells: x)
        let settings = W1Settings(subsampleSize: 2000, repetitions: 10)
        let a = W1Comparison.scores(reference: file, generated: file, settings: settings, seed: 5)
        let b = W1Comparison.scores(reference: file, generated: file, settings: settings, seed: 5)
        let c = W1Comparison.scores(reference: file, generated: file, settings: settings, seed: 6)
        #expect(a == b)
        #expect(a != c)
        let ratio = a.first { $0.key == "E_ratio" }!
        // Two independent 2000-event subsamples of one distribution: W1 of order 1/sqrt(2000) σ.
        #expect(ratio.mean > 0 && ratio.mean < 0.1)
        #expect(ratio.standardDeviation > 0)
    }

    @Test func compositeScoresCombineTheirComponents() {
        let x = (0..<300).map { Double($0 % 17) }
        let reference = observables(["E_long_1": x, "E_long_2": x, "E_ratio": x], cells: x)
        let generated = observables(["E_long_1": x.map { $0 + 1 }, "E_long_2": x.map { $0 + 3 }, "E_ratio": x], cells: x)
        let scores = W1Comparison.scores(
            reference: reference, generated: generated, settings: W1Settings(subsampleSize: 100, repetitions: 4), seed: 2)
        let long = scores.first { $0.key == "E_long" }!
        let parts = long.components!
        #expect(parts.map(\.key) == ["E_long_1", "E_long_2"])
        #expect(Swift.abs(long.mean - (parts[0].mean + parts[1].mean) / 2) < 1e-15)
        #expect(
            Swift.abs(
                long.standardDeviation
                    - (parts[0].standardDeviation * parts[0].standardDeviation + parts[1].standardDeviation
                    * parts[1].standardDeviation).squareRoot()) < 1e-15)
    }

    @Test func constantReferenceObservableIsNotDividedByZero() {
        let reference = observables(["N_hits": [3, 3, 3, 3]], cells: [1])
        let generated = observables(["N_hits": [4, 4, 4, 4]], cells: [1])
        let score = W1Comparison.scores(
            reference: reference, generated: generated, settings: W1Settings(subsampleSize: 4, repetitions: 1), seed: 0)
        #expect(score.first { $0.key == "N_hits" }?.mean == 1)
    }

    @Test func equalStatisticsGroups() {
        #expect(
            W1Grouping.equalStatisticsGroups(counts: Array(repeating: 5, count: 20), maximumGroups: 10)
                == stride(from: 0, to: 20, by: 2).map { $0..<($0 + 2) })
        #expect(W1Grouping.equalStatisticsGroups(counts: [1, 1, 1], maximumGroups: 10) == [0..<1, 1..<2, 2..<3])
        // One heavy bin takes a group of its own; later groups stay non-empty.
        let skewed = W1Grouping.equalStatisticsGroups(counts: [100, 1, 1, 1, 1], maximumGroups: 3)
        #expect(skewed.count == 3)
        #expect(skewed.first == 0..<1)
        #expect(skewed.flatMap { Array($0) } == Array(0..<5))
        #expect(W1Grouping.equalStatisticsGroups(counts: [0, 0, 0, 0], maximumGroups: 2) == [0..<2, 2..<4])
        #expect(W1Grouping.equalStatisticsGroups(counts: [], maximumGroups: 10).isEmpty)
    }

    @Test func observablesFromFeatures() throws {
        // ds1 photons: one event with 10 MeV in the first voxel of layer 0 (r = 2.5 mm) and 30 MeV in
        // the first voxel of layer 12 (r = 50 mm).
        let geometry = Geometry.ds1Photons
        var shower = [Float](repeating: 0, count: geometry.voxelCount)
        shower[0] = 10
        shower[363] = 30
        let features = try HighLevelFeatures(showers: shower, incidentEnergies: [40], geometry: geometry)
        var profile = RadialProfile(geometry: geometry)
        try profile.append(showers: shower)
        #expect(profile.radii.first == 1)  // layer 1's innermost radius
        let grouping = W1Grouping(referenceFeatures: features, referenceProfile: profile, geometry: geometry)
        #expect(grouping.layerGroups.flatMap { $0 } == [0, 1, 2, 3, 12])
        let observables = W1Observables(
            features: features, profile: profile, cellEnergies: [10, 30], geometry: geometry, grouping: grouping)
        let values = Dictionary(uniqueKeysWithValues: observables.perEvent.map { ($0.key, $0.values) })
        #expect(values["N_hits"] == [2])
        #expect(values["E_ratio"] == [1])
        #expect(Swift.abs(values["m1_z"]![0] - 9) < 1e-12)  // (0·10 + 12·30) / 40
        #expect(values["m1_eta"] == [0] && values["m1_phi"] == [0])  // no energy in the binned layers
        let long = observables.perEvent.filter { $0.key.hasPrefix("E_long_") }.map { $0.values[0] }
        #expect(long.reduce(0, +) == 40)
        let radial = observables.perEvent.filter { $0.key.hasPrefix("E_radial_") }.map { $0.values[0] }
        #expect(radial.reduce(0, +) == 40)
        #expect(profile.energy(radii: 0..<profile.radii.count) == [40])
        #expect(profile.hits.reduce(0, +) == 2)
    }

    @Test func generatorAndReservoirAreReproducible() {
        var a = SeededGenerator(seed: 99), b = SeededGenerator(seed: 99)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
        var generator = SeededGenerator(seed: 1)
        let draw = generator.sample(50, from: 60)
        #expect(Set(draw).count == 50 && draw.allSatisfy { (0..<60).contains($0) })
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(generator.index(below: 7)) })

        var small = ReservoirSample(capacity: 10, seed: 4)
        for value in 0..<5 { small.offer(Double(value)) }
        #expect(small.values == [0, 1, 2, 3, 4])
        var first = ReservoirSample(capacity: 1000, seed: 4), second = ReservoirSample(capacity: 1000, seed: 4)
        for value in 0..<100_000 {
            first.offer(Double(value))
            second.offer(Double(value))
        }
        #expect(first == second)
        #expect(first.values.count == 1000 && first.seen == 100_000)
        // A uniform sample of 0..<100000: mean near 50000 (σ of the mean ≈ 913).
        #expect(Swift.abs(first.values.reduce(0, +) / 1000 - 50_000) < 4000)
    }

    static func populationStandardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }

    /// Ring labels print radii readably (no binary noise like 6.9750000000000005) and name a single radius once.
    @Test func radialLabelsAreReadable() {
        let grouping = W1Grouping(layerGroups: [[0, 1]], radii: [2.325, 6.9750000000000005, 11.625], ringRanges: [0..<1, 1..<3])
        #expect(W1Observables.label(of: "E_radial_1", grouping: grouping) == "energy at voxel radius 2.325 mm (MeV)")
        #expect(W1Observables.label(of: "E_radial_2", grouping: grouping) == "energy at voxel radii 6.975–11.62 mm (MeV)")
    }
}
