import CaloData
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct PointCloudTests {
    @Test(arguments: ["ds1-photons", "ds1-pions", "ds2"], [DType.float64, .float32])
    func voxelsToPointsAndBackIsExact(_ name: String, _ dtype: DType) throws {
        let geometry = try Geometry.named(name)
        let conversion = try PointCloudConversion(geometry: geometry)
        let (showers, energies) = try randomShowers(geometry, events: 4, seed: 21, dtype: dtype)
        let cloud = try conversion.forward(showers: showers, incidentEnergies: energies)
        let filled = try (showers .!= 0).sum(dims: [1]).toArray(Int64.self)
        #expect(cloud.shape == [4, Int(filled.max()!), 4])
        // Energies are carried unchanged (sums differ only by summation order), and every voxel gets its own
        // point back: exact equality.
        try expectClose(try cloud.selecting(dim: 2, index: 3).sum(dims: [1]), try showers.sum(dims: [1]), rtol: 1e-6, atol: 0)
        let back = try conversion.inverse(cloud, incidentEnergies: energies)
        #expect(try back.toArray(Double.self) == showers.toArray(Double.self))
    }

    @Test func pointsSitAtVoxelCentresAndPaddingIsZero() throws {
        let geometry = Geometry.ds2
        var voxels = [Double](repeating: 0, count: 6480 * 2)
        let flat = geometry.flatIndex(layer: 3, angular: 0, radial: 1)
        voxels[flat] = 5  // event 0: one point
        voxels[6480 + 7] = 1  // event 1: two points
        voxels[6480 + 6479] = 2
        let conversion = try PointCloudConversion(geometry: geometry)
        let cloud = try conversion.forward(
            showers: try Tensor(voxels, shape: [2, 6480]), incidentEnergies: try Tensor.ones([2, 1], dtype: .float64))
        #expect(cloud.shape == [2, 2, 4])
        let values = try cloud.toArray(Double.self)
        // r = 6.975 mm, α = −15π/16 (spec/calochallenge.md §2.2), z = layer id 3.
        let alpha = -15 * Double.pi / 16
        #expect(abs(values[0] - 6.975 * cos(alpha)) < 1e-12 && abs(values[1] - 6.975 * sin(alpha)) < 1e-12)
        #expect(values[2] == 3 && values[3] == 5)
        #expect(Array(values[4..<8]) == [0, 0, 0, 0])  // padding point
        #expect(values[10] == 0 && values[11] == 1 && values[14] == 44 && values[15] == 2)  // flat order, layer ids 0 and 44
        // A fixed capacity pads further; too small a capacity is an error that says what to do.
        let padded = try PointCloudConversion(geometry: geometry, pointCapacity: 5)
            .forward(showers: try Tensor(voxels, shape: [2, 6480]), incidentEnergies: try Tensor.ones([2, 1], dtype: .float64))
        #expect(padded.shape == [2, 5, 4])
        expectCaloDataError(containing: "raise pointCapacity") {
            _ = try PointCloudConversion(geometry: geometry, pointCapacity: 1)
                .forward(
                    showers: try Tensor(voxels, shape: [2, 6480]), incidentEnergies: try Tensor.ones([2, 1], dtype: .float64))
        }
    }

    @Test func binningSumsPointsPerVoxelAndDropsStrayPoints() throws {
        let conversion = try PointCloudConversion(geometry: .ds1Photons)
        // Photon layer 1 (id 1): 16 radial × 10 angular bins. Two points in ring [4, 6) mm, α near 0 (bin 5);
        // one at r = 250 mm (outside the 200 mm layer); one in layer id 7 (empty in ds1); one with zero energy.
        let points: [Double] = [
            4.5, 0.1, 1, 2,
            5.5, 0.2, 1, 3,
            250, 0, 1, 7,
            1, 0, 7, 11,
            1, 0, 1, 0,
            500, 0, 12, 13,  // layer id 12, r in [400, 1000): radial bin 3
        ]
        let voxels = try conversion.inverse(
            try Tensor(points, shape: [1, 6, 4]), incidentEnergies: try Tensor([1.0], shape: [1, 1]))
        let values = try voxels.toArray(Double.self)
        let geometry = Geometry.ds1Photons
        #expect(values[geometry.flatIndex(layer: 1, angular: 5, radial: 2)] == 5)
        #expect(values[geometry.flatIndex(layer: 12, angular: 0, radial: 3)] == 13)
        #expect(values.reduce(0, +) == 18)
        expectCaloDataError(containing: "expected [batch, points, 4]") {
            _ = try conversion.inverse(
                try Tensor.zeros([1, 6, 3], dtype: .float64), incidentEnergies: try Tensor([1.0], shape: [1, 1]))
        }
    }
}
