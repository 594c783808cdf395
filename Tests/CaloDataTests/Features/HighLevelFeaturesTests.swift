import CaloData
import Foundation
import Testing

/// High-level features (spec/calochallenge.md §3) against the official HighLevelFeatures.py
/// (features.json, made by Fixtures/make_feature_fixtures.py) and against closed forms.
@Suite struct HighLevelFeaturesTests {
    // MARK: Golden values from the official code

    /// Compares one feature array with the official one bit for bit (NaN equals NaN): our sums are
    /// numpy's, in its order and precision.
    static func expectIdentical(_ actual: [Double]?, _ expected: [Double]?, _ label: String) {
        guard let actual, let expected else {
            #expect(actual == nil && expected == nil, "\(label): present on one side only")
            return
        }
        guard actual.count == expected.count else {
            Issue.record("\(label): \(actual.count) events vs \(expected.count)")
            return
        }
        for (event, (a, b)) in zip(actual, expected).enumerated() where a.bitPattern != b.bitPattern && !(a.isNaN && b.isNaN) {
            Issue.record("\(label) event \(event): \(a) vs official \(b)")
        }
    }

    @Test(arguments: ["ds1-photons", "ds1-pions", "ds2"])
    func matchesOfficialHighLevelFeatures(name: String) throws {
        let golden = try #require(try TestFixtures.golden().features[name])
        let reader = try CaloChallengeReader(path: try TestFixtures.url("\(name).h5").path)
        #expect(reader.geometry.name == name)
        let threshold = try ReadoutThreshold.official(for: reader.geometry)
        #expect(threshold.energy == golden.threshold)
        // 20 events in batches of 7, 7, 6: the streaming path crosses batch boundaries.
        let features = try reader.highLevelFeatures(threshold: threshold, batchSize: 7)

        #expect(features.eventCount == golden.totalEnergy.count)
        #expect(features.incidentEnergy == golden.incidentEnergies)
        Self.expectIdentical(features.totalEnergy, golden.totalEnergy, "E_tot")
        Self.expectIdentical(features.energyRatio, golden.energyRatio, "E_tot/E_inc")
        #expect(features.layerIDs.map(String.init) == golden.layers.keys.sorted { Int($0)! < Int($1)! })

        for layer in features.layers {
            let official = try #require(golden.layers[String(layer.id)], "official features lack layer \(layer.id)")
            let label = "\(name) layer \(layer.id)"
            Self.expectIdentical(layer.energy, official["E_layer"], "\(label) E_layer")
            Self.expectIdentical(layer.sparsity, official["Sparsity"], "\(label) Sparsity")
            let coordinates: [(String, [Double]?, [Double]?)] = [
                ("r", layer.rCentre, layer.rWidth), ("eta", layer.etaCentre, layer.etaWidth), ("phi", layer.phiCentre, layer.phiWidth),
            ]
            for (axis, centre, width) in coordinates {
                let officialCentre = official[axis == "r" ? "EC_r" : "EC_\(axis)"]
                let officialWidth = official[axis == "r" ? "Width_r" : "Width_\(axis)"]
                #expect((centre == nil) == !(layer.isAngularlyBinned || axis == "r"))
                guard let officialCentre, let officialWidth else {
                    #expect(centre == nil && width == nil, "\(label): \(axis) features the official code does not compute")
                    continue
                }
                Self.expectIdentical(centre, officialCentre, "\(label) EC_\(axis)")
                Self.expectIdentical(width, officialWidth, "\(label) Width_\(axis)")
            }
        }
    }

    /// The fixture deliberately places a voxel exactly at Float(threshold) and one just below; the
    /// sparsity of those layers only matches the official value if the threshold compares in Float.
    @Test(arguments: ["ds1-photons", "ds2"])
    func fixtureExercisesTheThresholdBoundary(name: String) throws {
        let reader = try CaloChallengeReader(path: try TestFixtures.url("\(name).h5").path)
        let threshold = try ReadoutThreshold.official(for: reader.geometry)
        let event = try reader.showers(3..<4)
        let cut = Float(threshold.energy)
        #expect(event[0] == cut)
        #expect(event[1] == cut.nextDown)
        let kept = threshold.applied(to: event)
        #expect(kept[0] == cut && kept[1] == 0)
    }

    @Test(arguments: [1, 3, 1000])
    func streamingEqualsInMemory(batchSize: Int) throws {
        let reader = try CaloChallengeReader(path: try TestFixtures.url("ds1-pions.h5").path)
        var (energies, showers) = try reader.readAll()
        ReadoutThreshold.dataset1.apply(to: &showers)
        let inMemory = try HighLevelFeatures(showers: showers, incidentEnergies: energies, geometry: reader.geometry)
        #expect(try reader.highLevelFeatures(threshold: .dataset1, batchSize: batchSize) == inMemory)
    }

    @Test func appendConcatenatesEvents() throws {
        let reader = try CaloChallengeReader(path: try TestFixtures.url("ds1-photons.h5").path)
        let (energies, showers) = try reader.readAll()
        let voxels = reader.geometry.voxelCount
        let whole = try HighLevelFeatures(showers: showers, incidentEnergies: energies, geometry: reader.geometry)
        var joined = try HighLevelFeatures(showers: Array(showers[..<(8 * voxels)]), incidentEnergies: Array(energies[..<8]), geometry: reader.geometry)
        try joined.append(HighLevelFeatures(showers: Array(showers[(8 * voxels)...]), incidentEnergies: Array(energies[8...]), geometry: reader.geometry))
        #expect(joined == whole)
        #expect(throws: CaloDataError.self) { try joined.append(HighLevelFeatures(geometry: .ds2)) }
    }

    // MARK: Closed forms

    /// One shower of `geometry` with the given (flat index, energy) voxels set.
    static func features(_ geometry: Geometry, incidentEnergy: Double = 1024, _ voxels: [(Int, Float)]) throws -> HighLevelFeatures {
        var shower = [Float](repeating: 0, count: geometry.voxelCount)
        for (index, energy) in voxels { shower[index] = energy }
        return try HighLevelFeatures(showers: shower, incidentEnergies: [incidentEnergy], geometry: geometry)
    }

    /// A single hot voxel: its layer's centres are the voxel's centre and its widths are 0; every
    /// other layer is empty (centre 0, width 0, sparsity 1).
    struct Voxel: Sendable, CustomTestStringConvertible {
        let geometry: String
        let position: Int
        let alpha: Int
        let radial: Int
        var testDescription: String { "\(geometry) layer \(position) (α \(alpha), r \(radial))" }
    }

    static let hotVoxels: [Voxel] = [
        Voxel(geometry: "ds1-photons", position: 2, alpha: 3, radial: 5), Voxel(geometry: "ds1-pions", position: 13, alpha: 9, radial: 15),
        Voxel(geometry: "ds1-pions", position: 14, alpha: 0, radial: 7), Voxel(geometry: "ds2", position: 30, alpha: 11, radial: 8),
        Voxel(geometry: "ds3", position: 2, alpha: 0, radial: 17),
    ]

    @Test(arguments: hotVoxels)
    func singleHotVoxel(_ voxel: Voxel) throws {
        let geometry = try Geometry.named(voxel.geometry)
        let (position, alpha, radial) = (voxel.position, voxel.alpha, voxel.radial)
        let index = geometry.flatIndex(layer: position, angular: alpha, radial: radial)
        // A power of two keeps x·E/E exact, so the widths are exactly 0, not rounding noise.
        let features = try Self.features(geometry, [(index, 8)])
        let layer = geometry.layers[position]
        let r = layer.radialCentres[radial]
        let a = layer.angularCentres[alpha]
        #expect(features.totalEnergy == [8])
        #expect(features.energyRatio == [8.0 / 1024])
        for layerFeatures in features.layers {
            if layerFeatures.id == layer.id {
                #expect(layerFeatures.energy == [8])
                #expect(layerFeatures.rCentre == [r])
                #expect(layerFeatures.rWidth == [0])
                #expect(layerFeatures.sparsity == [1 - 1 / Double(layer.voxelCount)])
                if layer.isAngularlyBinned {
                    #expect(layerFeatures.etaCentre == [r * cos(a)])
                    #expect(layerFeatures.phiCentre == [r * sin(a)])
                    #expect(layerFeatures.etaWidth == [0])
                    #expect(layerFeatures.phiWidth == [0])
                } else {
                    #expect(layerFeatures.etaCentre == nil && layerFeatures.etaWidth == nil)
                }
            } else {
                Self.expectEmpty(layerFeatures)
            }
        }
    }

    static func expectEmpty(_ layer: LayerFeatures) {
        #expect(layer.energy == [0], "layer \(layer.id)")
        #expect(layer.rCentre == [0] && layer.rWidth == [0], "layer \(layer.id)")
        #expect(layer.sparsity == [1], "layer \(layer.id)")
        if layer.isAngularlyBinned {
            #expect(layer.etaCentre == [0] && layer.phiCentre == [0], "layer \(layer.id)")
            #expect(layer.etaWidth == [0] && layer.phiWidth == [0], "layer \(layer.id)")
        }
    }

    @Test(arguments: Geometry.builtInNames)
    func emptyShowerGivesZerosNotNaN(name: String) throws {
        let features = try Self.features(try Geometry.named(name), [])
        #expect(features.totalEnergy == [0])
        #expect(features.energyRatio == [0])
        features.layers.forEach(Self.expectEmpty)
    }

    /// Two voxels of equal energy at points p and q: every centre is the midpoint and every width
    /// is half the distance along that coordinate.
    static let voxelPairs: [(Voxel, Voxel)] = [
        (Voxel(geometry: "ds1-photons", position: 1, alpha: 2, radial: 3), Voxel(geometry: "ds1-photons", position: 1, alpha: 7, radial: 12)),
        (Voxel(geometry: "ds1-pions", position: 12, alpha: 0, radial: 0), Voxel(geometry: "ds1-pions", position: 12, alpha: 5, radial: 14)),
        // Same angle; then same radius at opposite angles (EC_eta, EC_phi ≈ 0, Width_r = 0).
        (Voxel(geometry: "ds2", position: 7, alpha: 4, radial: 1), Voxel(geometry: "ds2", position: 7, alpha: 4, radial: 8)),
        (Voxel(geometry: "ds2", position: 0, alpha: 0, radial: 2), Voxel(geometry: "ds2", position: 0, alpha: 8, radial: 2)),
        (Voxel(geometry: "ds1-photons", position: 3, alpha: 0, radial: 0), Voxel(geometry: "ds1-photons", position: 3, alpha: 0, radial: 4)),
    ]

    @Test(arguments: voxelPairs)
    func twoEqualVoxels(p: Voxel, q: Voxel) throws {
        let geometry = try Geometry.named(p.geometry)
        let position = p.position
        let centres = geometry.voxelCentres(layer: position)
        let layer = geometry.layers[position]
        let i = p.alpha * layer.radialBins + p.radial
        let j = q.alpha * layer.radialBins + q.radial
        let offset = geometry.offsets[position]
        let features = try Self.features(geometry, [(offset + i, 3.7), (offset + j, 3.7)])
        let result = try #require(features[layer: layer.id])
        #expect(result.energy == [Double(Float(3.7)) * 2])
        #expect(result.sparsity == [1 - 2 / Double(layer.voxelCount)])
        func check(_ centre: [Double]?, _ width: [Double]?, _ x: [Double], _ axis: String) throws {
            let centre = try #require(centre?.first), width = try #require(width?.first)
            let scale = max(abs(x[i]), abs(x[j]), 1)
            #expect(abs(centre - (x[i] + x[j]) / 2) <= 1e-12 * scale, "EC_\(axis)")
            // Compared through width²: a true width of 0 comes out as the rounding noise of a
            // difference of second moments, ~1e-16·x².
            let half = abs(x[i] - x[j]) / 2
            #expect(abs(width * width - half * half) <= 1e-13 * scale * scale, "Width_\(axis): \(width) vs \(half)")
        }
        try check(result.rCentre, result.rWidth, centres.r, "r")
        if layer.isAngularlyBinned {
            try check(result.etaCentre, result.etaWidth, centres.eta, "eta")
            try check(result.phiCentre, result.phiWidth, centres.phi, "phi")
        }
    }

    /// NaN is not handled (spec §3): it propagates into its layer's sums and widths, never into
    /// a clipped 0, and sparsity counts it as empty (NaN > 0 is false).
    @Test func nanPropagatesLikeTheOfficialCode() throws {
        let geometry = Geometry.ds1Photons
        let features = try Self.features(geometry, [(10, .nan), (11, 4)])
        let layer = try #require(features[layer: 1])
        #expect(features.totalEnergy[0].isNaN)
        #expect(layer.energy[0].isNaN && layer.rCentre[0].isNaN && layer.rWidth[0].isNaN)
        #expect(layer.etaWidth?[0].isNaN == true && layer.phiWidth?[0].isNaN == true)
        #expect(layer.sparsity == [1 - 1.0 / 160])
        #expect(features[layer: 0]?.energy == [0])
    }

    @Test func layersAreKeyedByIdInIncreasingOrder() throws {
        // XML order 5, 2, 9 (with an empty layer): features come back as 2, 5, 9.
        let geometry = try Geometry(name: "shuffled", particle: "test", layers: [
            .init(id: 5, radialEdges: [0, 1, 2], angularBins: 2),
            .init(id: 7, radialEdges: [0], angularBins: 1),
            .init(id: 2, radialEdges: [0, 4], angularBins: 1),
            .init(id: 9, radialEdges: [0, 1], angularBins: 3),
        ])
        let features = try Self.features(geometry, [(0, 1), (4, 2), (5, 4)])
        #expect(features.layerIDs == [2, 5, 9])
        #expect(features[layer: 2]?.energy == [2])
        #expect(features[layer: 5]?.energy == [1])
        #expect(features[layer: 9]?.energy == [4])
        #expect(features[layer: 7] == nil)
    }

    @Test func wrongShowerSizeThrows() {
        #expect {
            try HighLevelFeatures(showers: [Float](repeating: 0, count: 367), incidentEnergies: [1], geometry: .ds1Photons)
        } throws: { error in
            guard case .invalidArgument(let message)? = error as? CaloDataError else { return false }
            return message.contains("368") && message.contains("367")
        }
    }

    @Test func streamingRejectsNonPositiveBatchSize() throws {
        let reader = try CaloChallengeReader(path: try TestFixtures.url("ds1-photons.h5").path)
        #expect(throws: CaloDataError.self) { try reader.highLevelFeatures(threshold: .dataset1, batchSize: 0) }
    }
}
