import CaloData
import Testing
import _TestSupport

/// numpy's pairwise summation (``pairwiseSum(count:_:)``) and the features built on it, against
/// numpy and the official HighLevelFeatures.py on showers whose features sit on histogram bin edges
/// (Fixtures/edges-ds2.json, made by make_edge_fixtures.py).
@Suite struct PairwiseSumTests {
    static let fixture = Result { try EdgeFixture.load() }

    /// Sums of 1/(i + 1) for lengths around numpy's block sizes (8, 128, its 8192 buffer) equal
    /// numpy's to the last bit, in float32 and float64.
    @Test func equalsNumPyAroundEveryBlockSize() throws {
        let sums = try Self.fixture.get().pairwiseSums
        let float32 = try #require(sums["float32"]), float64 = try #require(sums["float64"])
        #expect(float32.count > 10 && float64.count == float32.count)
        var sequentialDiffers = 0
        for entry in float32 {
            let sum = pairwiseSum(count: entry.count) { Float(1) / Float($0 + 1) }
            #expect(Double(sum) == entry.sum, "float32, \(entry.count) terms: \(sum) vs numpy \(entry.sum)")
            let sequential = (0..<entry.count).reduce(Float(0)) { $0 + Float(1) / Float($1 + 1) }
            if Double(sequential) != entry.sum { sequentialDiffers += 1 }
        }
        for entry in float64 {
            let sum = pairwiseSum(count: entry.count) { 1 / Double($0 + 1) }
            #expect(sum == entry.sum, "float64, \(entry.count) terms: \(sum) vs numpy \(entry.sum)")
        }
        // The lengths are long enough for the order to matter: a sequential sum misses most of them.
        #expect(sequentialDiffers > float32.count / 2)
    }

    @Test func smallRunsAreSequentialFromNegativeZero() {
        #expect(pairwiseSum(count: 0) { _ in Float(1) }.sign == .minus)
        #expect(pairwiseSum(count: 3) { _ in -Float.zero }.sign == .minus)
        let values: [Double] = [1e16, 1, -1e16, 1, 1, 1, 1]
        // In order: ((((((1e16 + 1) − 1e16) + 1) + 1) + 1) + 1) = 4, the first 1 lost to rounding.
        #expect(values.withUnsafeBufferPointer { pairwiseSum($0) } == 4)
    }

    /// Every feature of every event equals the official value bit for bit, on events placed so that
    /// any other summation order moves them across a bin edge.
    @Test func featuresOnBinEdgesEqualTheOfficialCode() throws {
        let fixture = try Self.fixture.get()
        let reader = try CaloChallengeReader(path: EdgeFixture.showersPath)
        #expect(reader.geometry.name == "ds2")
        let threshold = try ReadoutThreshold.official(for: reader.geometry)
        #expect(threshold.energy == fixture.threshold)
        let features = try reader.highLevelFeatures(threshold: threshold, batchSize: 5)
        #expect(features.incidentEnergy == fixture.incidentEnergies)
        #expect(features.totalEnergy == fixture.totalEnergy)
        var observed: [String: [Double]] = ["E_ratio": features.energyRatio]
        for layer in features.layers {
            let columns: [(String, [Double]?)] = [
                ("E_layer", layer.energy), ("EC_eta", layer.etaCentre), ("EC_phi", layer.phiCentre), ("Width_eta", layer.etaWidth),
                ("Width_phi", layer.phiWidth), ("EC_r", layer.rCentre), ("Width_r", layer.rWidth),
            ]
            for (name, values) in columns { observed["\(name)_\(layer.id)"] = values }
        }
        #expect(Set(observed.keys) == Set(fixture.features.keys))
        for (key, expected) in fixture.features.sorted(by: { $0.key < $1.key }) {
            let values = try #require(observed[key], "no \(key)")
            for (event, (a, b)) in zip(values, expected).enumerated() where a.bitPattern != b.bitPattern {
                Issue.record("\(key) event \(event): \(a) vs official \(b)")
            }
        }
        var sequentialMisses = 0
        for target in fixture.targets {
            #expect(observed[target.key]?[target.event] == target.value, "\(target.key) event \(target.event)")
            if target.sequentialBin != target.bin { sequentialMisses += 1 }
        }
        // The fixture is only a test if the old sums fail it: most targets land elsewhere with them.
        #expect(sequentialMisses > fixture.targets.count / 2)
    }
}
