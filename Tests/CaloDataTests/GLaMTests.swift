import CaloData
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct GLaMTests {
    static let ds1 = ["ds1-photons", "ds1-pions"]

    @Test func regularGridIsTheUnionOfLayerEdges() throws {
        // spec/models.md §A.3.
        let photons = try GLaMMapping(geometry: .ds1Photons)
        #expect(
            photons.regularEdges == [
                0, 2, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 120, 130, 150, 160, 200, 250, 300, 350,
                400, 600, 1000, 2000,
            ])
        #expect(photons.gridShape == [5, 10, 30])
        let pions = try GLaMMapping(geometry: .ds1Pions)
        #expect(
            pions.regularEdges == [
                0, 1, 4, 5, 7, 10, 15, 20, 30, 50, 80, 90, 100, 130, 150, 160, 200, 250, 300, 350, 400, 600, 1000, 2000,
            ])
        #expect(pions.gridShape == [7, 10, 23])
        // Parameter count of the learned maps, C and D per layer: §A.11.
        let photonParameters = (0..<5).reduce(0) {
            $0 + 2 * photons.encoderMatrix(layer: $1).count * photons.encoderMatrix(layer: $1)[0].count
        }
        #expect(photonParameters == 3180)
        let pionParameters = (0..<7).reduce(0) {
            $0 + 2 * pions.encoderMatrix(layer: $1).count * pions.encoderMatrix(layer: $1)[0].count
        }
        #expect(pionParameters == 3404)
    }

    @Test(arguments: ds1) func overlapAreasSumToRingAreas(_ name: String) throws {
        let glam = try GLaMMapping(geometry: try Geometry.named(name))
        let regularAreas = glam.regularBinAreas
        for index in 0..<glam.gridShape[0] {
            let edges = glam.geometry.relevantLayers[index].radialEdges
            let areas = glam.overlapAreas(layer: index)
            // Columns: the area of each of the layer's rings, π (r_{j+1}² − r_j²).
            for j in 0..<(edges.count - 1) {
                let ring = Double.pi * (edges[j + 1] * edges[j + 1] - edges[j] * edges[j])
                #expect(abs(areas.reduce(0) { $0 + $1[j] } - ring) <= 1e-9 * ring)
                #expect(abs(glam.binAreas(layer: index)[j] - ring) <= 1e-12 * ring)
            }
            // Rows: a regular ring inside the layer lies in exactly one of its rings; outside it overlaps none.
            for k in 0..<glam.regularBinCount {
                let rowSum = areas[k].reduce(0, +)
                if glam.regularEdges[k + 1] <= edges.last! {
                    #expect(abs(rowSum - regularAreas[k]) <= 1e-9 * regularAreas[k])
                    #expect(areas[k].filter { $0 > 0 }.count == 1)
                } else {
                    #expect(rowSum == 0)
                }
            }
            // Encoder columns are area fractions that sum to 1.
            let c = glam.encoderMatrix(layer: index)
            for j in 0..<(edges.count - 1) { #expect(abs(c.reduce(0) { $0 + $1[j] } - 1) < 1e-12) }
        }
    }

    @Test func sectorOverlapMatchesClosedForm() throws {
        // Photon layer 2, ring [2, 5] mm, and the regular ring [4, 5] mm: one of 10 sectors overlaps in
        // (Δα / 2)(5² − 4²) = (2π / 10 / 2) · 9 mm²; C = (25 − 16) / (25 − 4) = 9/21.
        let glam = try GLaMMapping(geometry: .ds1Photons)
        let k = try #require(glam.regularEdges.firstIndex(of: 4))
        let sector = glam.overlapAreas(layer: 2)[k][1] / 10
        #expect(abs(sector - (2 * Double.pi / 10) / 2 * 9) < 1e-12)
        #expect(abs(glam.encoderMatrix(layer: 2)[k][1] - 9.0 / 21) < 1e-15)
        // NumPy's pinv of that layer's C: the row of ring [2, 5] holds 1.12 and 0.84 at regular rings [2, 4], [4, 5].
        let d = glam.decoderMatrix(layer: 2)
        #expect(abs(d[1][k - 1] - 1.12) < 1e-12 && abs(d[1][k] - 0.84) < 1e-12)
        #expect(d[0][0] == 1)
    }

    @Test(arguments: ds1) func pseudoInverseSatisfiesMoorePenroseConditions(_ name: String) throws {
        let glam = try GLaMMapping(geometry: try Geometry.named(name))
        for index in 0..<glam.gridShape[0] {
            let cRows = glam.encoderMatrix(layer: index)
            let dRows = glam.decoderMatrix(layer: index)
            let c = try Tensor(cRows.flatMap { $0 }, shape: [cRows.count, cRows[0].count])
            let d = try Tensor(dRows.flatMap { $0 }, shape: [dRows.count, dRows[0].count])
            let dc = try d.matmul(c)
            let cd = try c.matmul(d)
            // D C = I on the layer's space (hence symmetric); C D C = C; D C D = D; C D symmetric.
            try expectClose(dc, try Tensor.eye(cRows[0].count, dtype: .float64), rtol: 0, atol: 1e-12)
            try expectClose(try c.matmul(dc), c, rtol: 0, atol: 1e-12)
            try expectClose(try d.matmul(cd), d, rtol: 0, atol: 1e-12)
            try expectClose(cd, try cd.transposed(0, 1), rtol: 0, atol: 1e-12)
        }
    }

    @Test(arguments: ds1 + ["ds2"]) func encodeThenDecodeIsIdentityAndConservesEnergy(_ name: String) throws {
        let geometry = try Geometry.named(name)
        let glam = try GLaMMapping(geometry: geometry)
        let (showers, energies) = try randomShowers(geometry, events: 5, seed: 11)
        let grid = try glam.forward(showers: showers, incidentEnergies: energies)
        #expect(grid.shape == [5] + glam.gridShape)
        try expectClose(try grid.sum(dims: [1, 2, 3]), try showers.sum(dims: [1]), rtol: 1e-12, atol: 1e-9)
        try expectClose(try glam.inverse(grid, incidentEnergies: energies), showers, rtol: 1e-6, atol: 1e-9)
    }

    @Test func singleAngleLayersAreSpreadEvenlyOverAngle() throws {
        // All energy in photon layer 0 (one angular bin): every angular row of the grid is the same, 1/10 each.
        var voxels = [Double](repeating: 0, count: 368)
        for r in 0..<8 { voxels[r] = Double(r + 1) }
        let glam = try GLaMMapping(geometry: .ds1Photons)
        let grid = try glam.forward(
            showers: try Tensor(voxels, shape: [1, 368]), incidentEnergies: try Tensor([1.0], shape: [1, 1]))
        let layer0 = try grid.selecting(dim: 1, index: 0)  // [1, 10, 30]
        let firstRow = try layer0.narrowed(dim: 1, start: 0, length: 1)
        try expectClose(layer0, try firstRow.expanded([1, 10, 30]), rtol: 0, atol: 0)
        #expect(abs(try firstRow.sum().item() - 36.0 / 10) < 1e-12)
        #expect(try grid.narrowed(dim: 1, start: 1, length: 4).abs().sum().item() == 0)
    }

    @Test func rejectsAngularBinningsItCannotReplicate() throws {
        let geometry = try Geometry(
            name: "odd", particle: "test",
            layers: [
                Geometry.Layer(id: 0, radialEdges: [0, 1, 2], angularBins: 10),
                Geometry.Layer(id: 1, radialEdges: [0, 3], angularBins: 5),
            ])
        expectCaloDataError(containing: "layer 1 has 5") { _ = try GLaMMapping(geometry: geometry) }
        let glam = try GLaMMapping(geometry: .ds1Photons)
        expectCaloDataError(containing: "GLaM decode: tensor has shape [2, 5, 10, 29], expected [batch] + [5, 10, 30]") {
            _ = try glam.inverse(
                try Tensor.zeros([2, 5, 10, 29], dtype: .float64), incidentEnergies: try Tensor.ones([2, 1], dtype: .float64))
        }
    }
}
