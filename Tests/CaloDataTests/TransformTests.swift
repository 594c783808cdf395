import CaloData
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct TransformTests {
    static let geometries = ["ds1-photons", "ds2"]

    /// forward then inverse gives the input back (float64, relative 1e-6).
    func expectRoundTrip(_ transform: some ShowerTransform, _ showers: Tensor, _ energies: Tensor, atol: Double = 1e-9) throws {
        #expect(transform.isInvertible)
        let forward = try transform.forward(showers: showers, incidentEnergies: energies)
        let back = try transform.inverse(forward, incidentEnergies: energies)
        try expectClose(back, showers, rtol: 1e-6, atol: atol)
    }

    @Test(arguments: geometries) func energyNormalizationRoundTrips(_ name: String) throws {
        let geometry = try Geometry.named(name)
        let (showers, energies) = try randomShowers(geometry, events: 6, seed: 1)
        let transform = try EnergyNormalization(for: geometry)
        #expect(transform.maxDeposit == (name == "ds2" ? 2 : 3.1))
        try expectRoundTrip(transform, showers, energies)
        // E' = e / (f E_inc) on one element.
        let forward = try transform.forward(showers: showers, incidentEnergies: energies)
        let e = try showers.toArray(Double.self)
        let eInc = try energies.toArray(Double.self)
        let first = try #require(e.indices.first { e[$0] > 0 })
        let expected = e[first] / (transform.maxDeposit * eInc[first / geometry.voxelCount])
        #expect(abs(try forward.toArray(Double.self)[first] - expected) <= 1e-15 * expected)
    }

    @Test(arguments: geometries) func logitRoundTripsOnNormalisedShowers(_ name: String) throws {
        let geometry = try Geometry.named(name)
        let (showers, energies) = try randomShowers(geometry, events: 6, seed: 2)
        let normalized = try EnergyNormalization(for: geometry).forward(showers: showers, incidentEnergies: energies)
        try expectRoundTrip(try LogitTransform(), normalized, energies, atol: 1e-15)
    }

    @Test func logitOfEmptyVoxelIsLogitOfDelta() throws {
        let empty = try Tensor.zeros([2, 3], dtype: .float64)
        let u = try LogitTransform(delta: 1e-6).forward(
            showers: empty, incidentEnergies: try Tensor.ones([2, 1], dtype: .float64))
        // ln(1e-6 / (1 − 1e-6)), NumPy; spec/models.md §A.2 rounds it to −13.8155.
        for value in try u.toArray(Double.self) {
            #expect(abs(value - -13.815509557963773) < 1e-12)
            #expect(abs(value - -13.8155) < 1e-4)
        }
        // No logit exists above 1 + δ/(1 − 2δ): non-finite results become 0 as in the reference.
        let tooLarge = try Tensor([2.0], shape: [1, 1])
        #expect(try LogitTransform().forward(showers: tooLarge, incidentEnergies: try Tensor([1.0], shape: [1, 1])).item() == 0)
    }

    @Test(arguments: geometries) func standardizationRoundTrips(_ name: String) throws {
        let geometry = try Geometry.named(name)
        let (showers, energies) = try randomShowers(geometry, events: 8, seed: 3)
        try expectRoundTrip(try Standardization.caloDiffusion(for: geometry), showers, energies)
        for statistic in Standardization.Statistic.allCases {
            for perFeature in [false, true] {
                var fitted = Standardization(fitting: statistic, perFeature: perFeature)
                try fitted.fit(showers: showers, incidentEnergies: energies)
                try expectRoundTrip(fitted, showers, energies)
            }
        }
    }

    @Test func standardizationFitsMeanStdAndRange() throws {
        // Feature 0: 1, 2, 3, 4 (mean 2.5, population std √1.25, min 1, range 3); feature 1 constant 7.
        let x = try Tensor([1, 7, 2, 7, 3, 7, 4, 7] as [Double], shape: [4, 2])
        let energies = try Tensor.ones([4, 1], dtype: .float64)
        var meanStd = Standardization(fitting: .meanAndStandardDeviation, perFeature: true)
        try meanStd.fit(showers: x, incidentEnergies: energies)
        #expect(meanStd.shift == [2.5, 7])
        #expect(abs(meanStd.scale[0] - 1.25.squareRoot()) < 1e-15)
        #expect(meanStd.scale[1] == 1)  // zero spread is stored as 1 so the map stays invertible
        var minRange = Standardization(fitting: .minimumAndRange, perFeature: true)
        try minRange.fit(showers: x, incidentEnergies: energies)
        #expect(minRange.shift == [1, 7] && minRange.scale == [3, 1])
        let y = try minRange.forward(showers: x, incidentEnergies: energies).toArray(Double.self)
        let expected: [Double] = [0, 0, 1.0 / 3, 0, 2.0 / 3, 0, 1, 0]
        #expect(y == expected)
        // Fixed constants are not refitted.
        var fixed = try Standardization(shift: -9.9807, scale: 3.14168)
        try fixed.fit(showers: x, incidentEnergies: energies)
        #expect(fixed.shift == [-9.9807] && fixed.scale == [3.14168])
    }

    @Test func caloDiffusionPipelineMatchesReferenceValue() throws {
        // One 1000 MeV voxel at E_inc = 65536 MeV, ds1 photons: (logit(δ + (1 − 2δ) e/(3.1 E_inc)) + 9.9807)/3.14168,
        // evaluated with NumPy.
        let pipeline = try TransformPipeline.caloDiffusion(for: .ds1Photons)
        var voxels = [Double](repeating: 0, count: 368)
        voxels[10] = 1000
        let showers = try Tensor(voxels, shape: [1, 368])
        let energies = try Tensor([65536.0], shape: [1, 1])
        let u = try pipeline.forward(showers: showers, incidentEnergies: energies).toArray(Double.self)
        #expect(abs(u[10] - 1.4870498455768593) < 1e-12)
        #expect(abs(u[0] - (-13.815509557963773 + 9.9807) / 3.14168) < 1e-12)
        let condition = try pipeline.conditioning(incidentEnergies: energies).item()
        #expect(abs(condition - 8.0 / 14.0) < 1e-15)  // log10(2^16 / 2^8) / log10(2^22 / 2^8)
    }

    @Test func incidentEnergyScalingRoundTrips() throws {
        let energies = try Tensor([256, 1000, 65536, 4_194_304] as [Double], shape: [4, 1])
        for scaling in [
            try IncidentEnergyScaling.caloDiffusion(for: .ds1Pions),
            try IncidentEnergyScaling(mode: .linear, minimum: 256, maximum: 4_194_304),
        ] {
            let c = try scaling.forward(incidentEnergies: energies)
            let values = try c.toArray(Double.self)
            #expect(abs(values[0]) < 1e-15 && abs(values[3] - 1) < 1e-15)
            try expectClose(try scaling.inverse(c), energies, rtol: 1e-12, atol: 0)
            #expect(try IncidentEnergyScaling(statistics: scaling.statistics) == scaling)
        }
        let ds2 = try IncidentEnergyScaling.caloDiffusion(for: .ds2)
        #expect(abs(try ds2.forward(incidentEnergies: try Tensor([31_622.776601683792], shape: [1, 1])).item() - 0.5) < 1e-12)
    }

    @Test func layerRatiosMatchClosedFormOnThreeLayerToy() throws {
        let toy = try Geometry(
            name: "toy", particle: "test", layers: (0..<3).map { Geometry.Layer(id: $0, radialEdges: [0, 1, 2], angularBins: 1) })
        let transform = try LayerEnergyNormalization(geometry: toy)
        // Layer energies 2, 3, 5 (total 10), E_inc = 20: u₀ = 10/20, u₁ = 2/10, u₂ = 3/8.
        let showers = try Tensor([1, 1, 1, 2, 5, 0] as [Double], shape: [1, 6])
        let energies = try Tensor([20.0], shape: [1, 1])
        let forward = try transform.forward(showers: showers, incidentEnergies: energies)
        let (voxels, u) = try transform.split(forward)
        #expect(try u.toArray(Double.self) == [0.5, 0.2, 0.375])
        try expectClose(voxels, try Tensor([0.5, 0.5, 1.0 / 3, 2.0 / 3, 1, 0] as [Double], shape: [1, 6]), rtol: 1e-15, atol: 0)
        try expectClose(try transform.inverse(forward, incidentEnergies: energies), showers, rtol: 1e-15, atol: 0)
        // With f = 2: u₀ = 10/(2·20); an empty middle layer gives u₂ = 0/5 = 0 and comes back empty.
        let scaled = try LayerEnergyNormalization(geometry: toy, depositScale: 2)
        let gap = try Tensor([1, 1, 0, 0, 5, 0] as [Double], shape: [1, 6])
        let gapForward = try scaled.forward(showers: gap, incidentEnergies: energies)
        try expectClose(
            try scaled.split(gapForward).ratios, try Tensor([7.0 / 40, 2.0 / 7, 0], shape: [1, 3]), rtol: 1e-15, atol: 0)
        try expectClose(try scaled.inverse(gapForward, incidentEnergies: energies), gap, rtol: 1e-15, atol: 1e-15)
        // An empty shower stays empty.
        let empty = try Tensor.zeros([1, 6], dtype: .float64)
        #expect(
            try transform.inverse(try transform.forward(showers: empty, incidentEnergies: energies), incidentEnergies: energies)
                .toArray(Double.self) == Array(repeating: 0, count: 6))
    }

    @Test(arguments: geometries) func layerEnergyNormalizationRoundTrips(_ name: String) throws {
        let geometry = try Geometry.named(name)
        let (showers, energies) = try randomShowers(geometry, events: 6, seed: 4)
        let transform = try LayerEnergyNormalization(
            geometry: geometry, depositScale: try EnergyNormalization.maxDeposit(for: geometry))
        try expectRoundTrip(transform, showers, energies)
        // Layers of the normalised voxels sum to 1 (layers with energy) and the ratios rebuild the layer energies.
        let (voxels, u) = try transform.split(try transform.forward(showers: showers, incidentEnergies: energies))
        let layers = try geometry.layerEnergies(of: showers)
        let sums = try geometry.layerEnergies(of: voxels)
        try expectClose(sums, try (layers .> 0).to(dtype: .float64), rtol: 1e-12, atol: 1e-12)
        try expectClose(try transform.layerEnergies(ratios: u, incidentEnergies: energies), layers, rtol: 1e-9, atol: 1e-9)
    }

    @Test(arguments: geometries) func pipelineRoundTripsAndRestoresFromCheckpointMetadata(_ name: String) throws {
        let geometry = try Geometry.named(name)
        let (showers, energies) = try randomShowers(geometry, events: 16, seed: 5)
        // CaloScore v2's chain (spec/models.md §B.2.1): layer ratios, per-feature min–max, logit, per-feature standardisation.
        var pipeline = TransformPipeline(
            [
                try LayerEnergyNormalization(geometry: geometry, depositScale: try EnergyNormalization.maxDeposit(for: geometry)),
                Standardization(fitting: .minimumAndRange, perFeature: true),
                try LogitTransform(),
                Standardization(fitting: .meanAndStandardDeviation, perFeature: true),
            ], condition: try IncidentEnergyScaling.caloDiffusion(for: geometry))
        try pipeline.fit(showers: showers, incidentEnergies: energies)
        #expect(pipeline.isInvertible)
        let forward = try pipeline.forward(showers: showers, incidentEnergies: energies)
        try expectClose(try pipeline.inverse(forward, incidentEnergies: energies), showers, rtol: 1e-6, atol: 1e-9)

        // Through a real safetensors file's __metadata__, then identical outputs bit for bit.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.save(
            ["x": try Tensor.zeros([1])], metadata: pipeline.metadata().merging(["unrelated": "1"]) { a, _ in a }, to: url)
        let restored = try TransformPipeline(metadata: try Safetensors.load(url).metadata)
        #expect(restored.transforms.count == 4 && restored.condition == pipeline.condition)
        let again = try restored.forward(showers: showers, incidentEnergies: energies)
        #expect(try again.toArray(Double.self) == forward.toArray(Double.self))
        #expect(
            try restored.inverse(forward, incidentEnergies: energies).toArray(Double.self)
                == pipeline.inverse(forward, incidentEnergies: energies).toArray(Double.self))

        let caloDiffusion = try TransformPipeline.caloDiffusion(for: geometry)
        try expectClose(
            try caloDiffusion.inverse(
                try caloDiffusion.forward(showers: showers, incidentEnergies: energies), incidentEnergies: energies),
            showers, rtol: 1e-6, atol: 1e-9)
    }

    @Test func everyTransformKindRestoresFromItsStatistics() throws {
        let geometry = Geometry.ds1Photons
        let (showers, energies) = try randomShowers(geometry, events: 4, seed: 6)
        let custom = try Geometry(
            name: "custom", particle: "test", layers: [Geometry.Layer(id: 0, radialEdges: [0, 1.5, 4], angularBins: 3)])
        let transforms: [any ShowerTransform] = [
            try EnergyNormalization(for: geometry), try LogitTransform(delta: 1e-5),
            try Standardization.caloDiffusion(for: geometry),
            try LayerEnergyNormalization(geometry: geometry, depositScale: 3.1), try CartesianRemap.caloScore(for: geometry),
            try GLaMMapping(geometry: geometry), try PointCloudConversion(geometry: geometry, pointCapacity: 400),
            try LayerEnergyNormalization(geometry: custom),
        ]
        for transform in transforms {
            let restored = try type(of: transform).init(statistics: transform.statistics)
            #expect(restored.statistics == transform.statistics, "\(type(of: transform).kind)")
            guard let geometryOfCustom = (restored as? LayerEnergyNormalization)?.geometry, geometryOfCustom.name == "custom"
            else {
                let a = try transform.forward(showers: showers, incidentEnergies: energies).toArray(Double.self)
                let b = try restored.forward(showers: showers, incidentEnergies: energies).toArray(Double.self)
                #expect(a == b, "\(type(of: transform).kind)")
                continue
            }
            #expect(geometryOfCustom == custom)
        }
    }

    @Test func cartesianRemapMatchesCaloScoreAndConservesEnergy() throws {
        // Cells of the 144 voxels of one ds2 layer, from CaloScore's polar_to_cart (NumPy): binx · 12 + biny.
        let reference = [
            78, 90, 90, 102, 114, 114, 126, 138, 138, 78, 90, 91, 103, 115, 115, 128, 128, 140, 78, 79, 91, 92, 104, 105, 117,
            118,
            130, 78, 79, 79, 92, 93, 93, 94, 95, 107, 78, 79, 79, 80, 81, 81, 82, 71, 71, 78, 79, 67, 68, 68, 57, 58, 58, 47, 78,
            66,
            67, 55, 56, 44, 44, 33, 33, 78, 66, 66, 54, 43, 43, 31, 19, 19, 78, 66, 66, 54, 41, 41, 29, 17, 17, 78, 66, 65, 53,
            52, 40,
            40, 27, 27, 78, 77, 65, 64, 64, 51, 50, 50, 37, 78, 77, 77, 76, 75, 75, 74, 61, 61, 78, 77, 77, 88, 87, 87, 86, 85,
            97, 78,
            77, 89, 88, 100, 99, 111, 110, 122, 78, 90, 89, 101, 113, 113, 124, 124, 136, 78, 90, 90, 102, 114, 114, 126, 138, 6,
        ]
        let ds2 = try CartesianRemap.caloScore(for: .ds2)
        #expect(Array(ds2.cellIndices.prefix(144)) == reference)
        #expect(ds2.cellIndices[144 * 7 + 5] == 7 * 144 + reference[5])
        #expect(Set(reference).count == 73)  // 144 voxels share 73 cells: many-to-one
        #expect(!ds2.isInvertible)
        // ds3 on 32 × 32 (NumPy: 572 distinct cells, Σ (i + 1)·cell_i = 214201588).
        let ds3 = try CartesianRemap.caloScore(for: .ds3)
        let layer0 = Array(ds3.cellIndices.prefix(900))
        #expect(Set(layer0).count == 572)
        #expect(layer0.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element } == 214_201_588)

        for remap in [ds2, try CartesianRemap.caloScore(for: .ds1Photons)] {
            let (showers, energies) = try randomShowers(remap.geometry, events: 5, seed: 7)
            let cells = try remap.forward(showers: showers, incidentEnergies: energies)
            #expect(cells.shape == [5] + remap.outputShape)
            // Every layer keeps its energy.
            let layerSums = try cells.sum(dims: [2, 3])
            try expectClose(layerSums, try remap.geometry.layerEnergies(of: showers), rtol: 1e-12, atol: 1e-9)
            // The pseudo-inverse conserves energy and is a right inverse on occupied cells.
            let back = try remap.inverse(cells, incidentEnergies: energies)
            try expectClose(try back.sum(dims: [1]), try showers.sum(dims: [1]), rtol: 1e-12, atol: 1e-9)
            try expectClose(try remap.forward(showers: back, incidentEnergies: energies), cells, rtol: 1e-12, atol: 1e-9)
        }
    }

    @Test(.enabled(if: CUDA.isAvailable)) func transformsRunOnCUDAAndMatchCPU() throws {
        let geometry = Geometry.ds1Photons
        let (showers, energies) = try randomShowers(geometry, events: 4, seed: 9)
        let cuda = Device.cuda(0)
        let transforms: [any ShowerTransform] = [
            try LayerEnergyNormalization(geometry: geometry), try CartesianRemap.caloScore(for: geometry),
            try GLaMMapping(geometry: geometry), try PointCloudConversion(geometry: geometry),
        ]
        for transform in transforms + (try TransformPipeline.caloDiffusion(for: geometry)).transforms {
            let onCPU = try transform.forward(showers: showers, incidentEnergies: energies)
            let onGPU = try transform.forward(showers: try showers.to(cuda), incidentEnergies: try energies.to(cuda))
            #expect(onGPU.device == cuda)
            try expectClose(try onGPU.to(.cpu), onCPU, rtol: 1e-9, atol: 1e-12)
            let back = try transform.inverse(onGPU, incidentEnergies: try energies.to(cuda))
            try expectClose(try back.to(.cpu), try transform.inverse(onCPU, incidentEnergies: energies), rtol: 1e-9, atol: 1e-12)
        }
    }

    @Test func errorsNameTheShapeAndWhatToDo() throws {
        let (ds2Showers, energies) = try randomShowers(.ds2, events: 2, seed: 8)
        expectCaloDataError(containing: "expected [batch, 368] (flat showers of geometry ds1-photons)") {
            _ = try LayerEnergyNormalization(geometry: .ds1Photons).forward(showers: ds2Showers, incidentEnergies: energies)
        }
        expectCaloDataError(containing: "GLaM encode: tensor has shape [2, 6480], expected [batch, 368]") {
            _ = try GLaMMapping(geometry: .ds1Photons).forward(showers: ds2Showers, incidentEnergies: energies)
        }
        expectCaloDataError(containing: "expected incident energies [2, 1]") {
            _ = try EnergyNormalization(maxDeposit: 2).forward(
                showers: ds2Showers, incidentEnergies: try Tensor.ones([3, 1], dtype: .float64))
        }
        expectCaloDataError(containing: "not fitted yet") {
            _ = try Standardization(fitting: .meanAndStandardDeviation, perFeature: true).forward(
                showers: ds2Showers, incidentEnergies: energies)
        }
        var fitted = Standardization(fitting: .meanAndStandardDeviation, perFeature: true)
        try fitted.fit(showers: ds2Showers, incidentEnergies: energies)
        expectCaloDataError(containing: "the shape the statistics were fitted on") {
            _ = try fitted.forward(showers: try Tensor.zeros([2, 368], dtype: .float64), incidentEnergies: energies)
        }
        expectCaloDataError(containing: "statistic 'delta' is missing") { _ = try LogitTransform(statistics: [:]) }
        expectCaloDataError(containing: "statistic 'maxDeposit' holds 'abc', not a number") {
            _ = try EnergyNormalization(statistics: ["maxDeposit": "abc"])
        }
        expectCaloDataError(containing: "names 'ds9', which is not built in") {
            _ = try GLaMMapping(statistics: ["geometry": "ds9"])
        }
        expectCaloDataError(containing: "names 'fourier', which is none of energy-normalization") {
            _ = try TransformPipeline(metadata: ["preprocessing.count": "1", "preprocessing.0.kind": "fourier"])
        }
        expectCaloDataError(containing: "no MAXDEP is known for geometry 'custom'") {
            let custom = try Geometry(
                name: "custom", particle: "test", layers: [Geometry.Layer(id: 0, radialEdges: [0, 1], angularBins: 1)])
            _ = try EnergyNormalization(for: custom)
        }
    }
}
