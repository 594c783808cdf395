import CaloData
import Foundation
import Testing

@testable import CaloEval

/// Mean shower, profiles, per-layer moments and response on a tiny geometry, against values worked
/// out by hand.
@Suite struct ShowerStatisticsTests {
    /// Layer 0: radial edges 0, 1, 3 mm and 2 angular bins (4 voxels: α0 r0, α0 r1, α1 r0, α1 r1);
    /// layer 3: no voxels; layer 7: one voxel, r in [0, 2) mm.
    static func geometry() throws -> Geometry {
        try Geometry(
            name: "tiny", particle: "electron",
            layers: [
                Geometry.Layer(id: 0, radialEdges: [0, 1, 3], angularBins: 2),
                Geometry.Layer(id: 3, radialEdges: [0], angularBins: 1),
                Geometry.Layer(id: 7, radialEdges: [0, 2], angularBins: 1),
            ])
    }

    /// Two events: [1, 2, 3, 4 | 10] and [3, 0, 1, 0 | 20] MeV at E_inc = 100 and 50 MeV.
    static let showers: [Float] = [1, 2, 3, 4, 10, 3, 0, 1, 0, 20]
    static let incidentEnergies: [Double] = [100, 50]

    static func statistics(edges: [Double]? = [10, 70, 200]) throws -> ShowerStatistics {
        let geometry = try geometry()
        var statistics = try ShowerStatistics(geometry: geometry, incidentEnergyEdges: edges)
        // In two batches, as the scanner appends them.
        for event in 0..<2 {
            let batch = Array(showers[(event * 5)..<((event + 1) * 5)])
            let features = try HighLevelFeatures(
                showers: batch, incidentEnergies: [incidentEnergies[event]], geometry: geometry)
            try statistics.append(showers: batch, features: features)
        }
        return statistics
    }

    @Test func meanImagesAndLongitudinalProfile() throws {
        let geometry = try Self.geometry()
        let statistics = try Self.statistics()
        #expect(statistics.eventCount == 2 && statistics.layerIDs == [0, 7])
        #expect(statistics.voxelEnergySums == [4, 2, 4, 4, 30])
        #expect(statistics.meanVoxelEnergies == [2, 1, 2, 2, 15])
        #expect(statistics.meanImage(layer: 0, geometry: geometry) == [2, 1, 2, 2])
        #expect(statistics.meanImage(layer: 7, geometry: geometry) == [15])
        #expect(statistics.meanImage(layer: 3, geometry: geometry) == nil)
        #expect(statistics.meanImage(layer: 99, geometry: geometry) == nil)
        #expect(statistics.meanLayerEnergies(geometry: geometry) == [7, 15])
    }

    @Test func radialProfileAddsLayersOnTheUnionOfEdges() throws {
        let profile = try Self.statistics().meanRadialProfile(geometry: try Self.geometry())
        // Layer 0: r in [0, 1): 2 + 2 = 4 MeV over 1 mm; [1, 3): 1 + 2 = 3 MeV over 2 mm = 1.5 MeV/mm.
        // Layer 7: [0, 2): 15 MeV over 2 mm = 7.5 MeV/mm.
        #expect(profile.radialEdges == [0, 1, 2, 3])
        #expect(profile.values == [4 + 7.5, 1.5 + 7.5, 1.5])
    }

    @Test func layerMomentsAndResponse() throws {
        let statistics = try Self.statistics()
        let energy = try #require(statistics.moments(of: .layerEnergy))
        // Layer 0: 10 and 4 MeV; layer 7: 10 and 20 MeV.
        #expect(energy.map(\.mean) == [7, 15])
        #expect(abs(energy[0].standardDeviation - 18.0.squareRoot()) < 1e-12)
        // Layer 7 has one angular bin: no η/φ features.
        let eta = try #require(statistics.moments(of: .etaCentre))
        #expect(eta[0].count == 2 && eta[1].count == 0)
        // Sparsity of layer 0: 0 and 0.5 (two of four voxels empty in the second event).
        #expect(statistics.moments(of: .sparsity)?[0].mean == 0.25)
        #expect(statistics.moments(of: .voxelEnergy) == nil)
        // E_tot / E_inc: 20/100 = 0.2 in [70, 200), 24/50 = 0.48 in [10, 70).
        let response = try #require(statistics.response)
        #expect(response.counts == [1, 1])
        #expect(response.means == [0.48, 0.2])
        #expect(try Self.statistics(edges: nil).response == nil)
    }

    @Test func mismatchedBatchesThrow() throws {
        let geometry = try Self.geometry()
        var statistics = try ShowerStatistics(geometry: geometry, incidentEnergyEdges: nil)
        let features = try HighLevelFeatures(showers: [1, 2, 3, 4, 5], incidentEnergies: [10], geometry: geometry)
        #expect(throws: EvaluationError.self) { try statistics.append(showers: [1, 2, 3], features: features) }
        let other = try HighLevelFeatures(showers: Array(repeating: 1, count: 368), incidentEnergies: [10], geometry: .ds1Photons)
        #expect(throws: EvaluationError.self) {
            try statistics.append(showers: [1, 2, 3, 4, 5], features: other)
        }
        #expect(statistics.eventCount == 0)
    }

    @Test func roundTripsThroughJSON() throws {
        let statistics = try Self.statistics()
        let decoded = try JSONDecoder().decode(ShowerStatistics.self, from: try JSONEncoder().encode(statistics))
        #expect(decoded == statistics)
    }
}
