import CaloData
import CaloEval
import Testing
import _TestSupport

/// Histogram bins and separation powers against numpy and the official evaluate_plotting_helper.py
/// on ds2 showers whose features sit on bin edges (Tests/CaloDataTests/Fixtures/edges-ds2.json, made
/// by make_edge_fixtures.py): every value next to an edge must land in np.histogram's bin.
@Suite struct OfficialBinAssignmentTests {
    static let fixture = Result { try EdgeFixture.load() }

    /// The fixture's features as ours, by observable key.
    static let observed = Result { () throws -> [String: [Double]] in
        let reader = try CaloChallengeReader(path: EdgeFixture.showersPath)
        let features = try reader.highLevelFeatures(threshold: try ReadoutThreshold.official(for: reader.geometry))
        let binning = HistogramBinning(geometry: reader.geometry, threshold: .datasets2And3)
        var result: [String: [Double]] = [:]
        for observable in binning.observables(for: reader.geometry) {
            if let values = observable.values(in: features) { result[observable.key] = values }
        }
        return result
    }

    @Test func valuesNextToEdgesLandInNumPysBins() throws {
        let fixture = try Self.fixture.get()
        let observed = try Self.observed.get()
        var sequentialMisses = 0
        for target in fixture.targets {
            let edges = try #require(fixture.edges(of: target.key), "no edges for \(target.key)")
            let value = try #require(observed[target.key]?[target.event], "no \(target.key)")
            #expect(value == target.value, "\(target.key) event \(target.event): \(value) vs official \(target.value)")
            let bin = try Histogram(edges: edges).bin(of: value)
            #expect(bin == (target.bin < 0 ? nil : target.bin), "\(target.key) event \(target.event) = \(value)")
            if target.sequentialBin != target.bin { sequentialMisses += 1 }
        }
        #expect(sequentialMisses > fixture.targets.count / 2, "the fixture must fail float64 sequential sums")
    }

    /// `np.linspace` edges of the fixed binnings are ours bit for bit.
    @Test func fixedEdgesAreNumPysLinspace() throws {
        let fixture = try Self.fixture.get()
        let binning = HistogramBinning(geometry: .ds2, threshold: .datasets2And3)
        let observables: [HistogramObservable] = [
            HistogramObservable(.energyRatio), HistogramObservable(.etaCentre, layer: 0), HistogramObservable(.phiCentre, layer: 44),
            HistogramObservable(.etaWidth, layer: 3), HistogramObservable(.phiWidth, layer: 7), HistogramObservable(.rCentre, layer: 0),
            HistogramObservable(.rWidth, layer: 20),
        ]
        for observable in observables {
            let official = try #require(fixture.edges(of: observable.key), "no edges for \(observable.key)")
            #expect(binning.fixedEdges(for: observable) == official, "\(observable.key)")
        }
    }

    /// Separation power of the even against the odd events on every observable equals the official
    /// `_separation_power` of np.histogram densities to the last bit.
    @Test func separationPowersEqualTheOfficialCode() throws {
        let fixture = try Self.fixture.get()
        let observed = try Self.observed.get()
        #expect(fixture.separationPowers.count == 1 + 7 * 45)
        for (key, expected) in fixture.separationPowers.sorted(by: { $0.key < $1.key }) {
            let edges = try #require(fixture.edges(of: key), "no edges for \(key)")
            let values = try #require(observed[key], "no \(key)")
            let even = try Histogram(values.enumerated().filter { $0.offset % 2 == 0 }.map(\.element), edges: edges)
            let odd = try Histogram(values.enumerated().filter { $0.offset % 2 == 1 }.map(\.element), edges: edges)
            let value = try separationPower(even, odd)
            #expect(value.bitPattern == expected.bitPattern || (value.isNaN && expected.isNaN), "\(key): \(value) vs official \(expected)")
        }
    }
}
