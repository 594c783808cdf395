import Foundation
import Torch

/// Converts voxelised showers to point clouds and back, in the `(x, y, z, energy)` layout of CaloClouds II
/// (spec/models.md §C.1, §C.7 "projection back to the voxel grid").
///
/// Forward: every non-zero voxel becomes one point at its centre (spec/calochallenge.md §2.2):
/// `x = r cos α` (η, mm), `y = r sin α` (φ, mm), `z` = the layer's id (its XML position: 0 … 44 for
/// ds2/ds3, ATLAS sampling numbers for ds1), and its energy. Points come in flat voxel order,
/// `[batch, points, 4]`, padded at the end with all-zero points; `points` is ``pointCapacity`` or, when that
/// is nil, the largest number of non-zero voxels in the batch. Coordinates are left in mm and layer
/// units; the [−1, 1] normalisation of CaloClouds belongs to the model.
///
/// Inverse: points are binned — layer = the relevant layer whose id equals z rounded, radial bin from
/// `√(x² + y²)` against the layer's radial edges, angular bin from `atan2(y, x)` against edges
/// `−π + k·2π/N_α` — and the energies of points in one voxel are summed. Points with zero energy, a z
/// that names no relevant layer, or a radius at or beyond the layer's outer edge are dropped.
///
/// Exactly invertible: each voxel centre lies strictly inside its voxel, so the inverse puts every
/// point back into the voxel it came from (one point per voxel, so nothing is summed).
public struct PointCloudConversion: ShowerTransform, Equatable {
    public static let kind = "point-cloud"

    public let geometry: Geometry
    /// Fixed number of points per shower; nil sizes each batch to its fullest shower.
    public let pointCapacity: Int?

    public init(geometry: Geometry, pointCapacity: Int? = nil) throws {
        if let pointCapacity, pointCapacity < 1 {
            throw CaloDataError.invalidArgument("point cloud: pointCapacity must be at least 1, got \(pointCapacity)")
        }
        self.geometry = geometry
        self.pointCapacity = pointCapacity
    }

    public var isInvertible: Bool { true }

    /// Centre `(x, y, z)` of every flat voxel, `[voxels × 3]` row-major (mm, mm, layer id).
    public var voxelCentres: [Double] {
        var values: [Double] = []
        values.reserveCapacity(geometry.voxelCount * 3)
        for position in geometry.relevantLayerPositions {
            let centres = geometry.voxelCentres(layer: position)
            let z = Double(geometry.layers[position].id)
            for (x, y) in zip(centres.eta, centres.phi) { values += [x, y, z] }
        }
        return values
    }

    public func forward(showers: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        try geometry.checkShowers(showers, operation: "voxels to points")
        let batch = showers.dim(0)
        let voxels = geometry.voxelCount
        let isFilled = try showers .!= 0
        let counts = try isFilled.sum(dims: [1]).to(dtype: .int64, device: .cpu).toArray(Int64.self)
        let largest = Int(counts.max() ?? 0)
        let points = pointCapacity ?? largest
        guard largest <= points else {
            throw CaloDataError.invalidArgument(
                "voxels to points: a shower has \(largest) non-zero voxels but pointCapacity is \(points); raise pointCapacity")
        }
        // Sort keys put filled voxels first, each group in flat order: filled · V + (V − 1 − index).
        // float64 holds these integers exactly (scalar arithmetic on int64 tensors would promote to float32).
        let descendingIndex = try Tensor.arange(Double(voxels - 1), -1, step: -1, dtype: .float64, device: showers.device)
        let keys = try isFilled.to(dtype: .float64) * Double(voxels) + descendingIndex
        let taken = Swift.min(points, voxels)
        let order = try keys.sorted(dim: 1, descending: true).indices.narrowed(dim: 1, start: 0, length: taken)
        let energies = try showers.gather(dim: 1, index: order)  // [batch, n]
        let centres = try constant(voxelCentres, shape: [voxels, 3], like: showers)
        let positions = try centres.indexSelect(dim: 0, index: try order.flattened()).reshaped([batch, taken, 3])
        let keep = try (energies .!= 0).to(dtype: showers.dtype).unsqueezed(-1)
        var cloud = try Tensor.cat([try positions * keep, try energies.unsqueezed(-1)], dim: 2)
        if points > voxels {
            cloud = try cloud.padded([0, 0, 0, points - voxels])
        }
        return cloud
    }

    public func inverse(_ transformed: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        guard transformed.ndim == 3, transformed.dim(2) == 4 else {
            throw CaloDataError.wrongTensorShape(
                operation: "points to voxels", expected: "[batch, points, 4] (x, y, z, energy)", actual: transformed.shape)
        }
        let batch = transformed.dim(0)
        let x = try transformed.selecting(dim: 2, index: 0)
        let y = try transformed.selecting(dim: 2, index: 1)
        let z = try transformed.selecting(dim: 2, index: 2).round()
        let energies = try transformed.selecting(dim: 2, index: 3)
        let radius = try sqrt(try x * x + y * y)
        let angle = try y.atan2(x)
        let offsets = geometry.offsets
        // Indices are built in float64, which holds them exactly, then converted: scalar arithmetic on
        // int64 tensors would promote to float32.
        var flatIndex = try Tensor.full(x.shape, value: -1, dtype: .float64, device: x.device)
        for position in geometry.relevantLayerPositions {
            let layer = geometry.layers[position]
            let radialBin = try bins(of: radius, innerEdges: Array(layer.radialEdges.dropFirst().dropLast()))
            let angularEdges = (1..<layer.angularBins).map { -Double.pi + 2 * Double.pi * Double($0) / Double(layer.angularBins) }
            let angularBin = try bins(of: angle, innerEdges: angularEdges)
            let index = try angularBin * Double(layer.radialBins) + radialBin + Double(offsets[position])
            let inLayer = try (z .== Double(layer.id)).logicalAnd(try radius .< layer.radialEdges.last!)
            flatIndex = try `where`(inLayer, index, flatIndex)
        }
        let isValid = try (flatIndex .>= 0).logicalAnd(try energies .!= 0)
        let safeIndex = try flatIndex.maskedFill(isValid.logicalNot(), 0).to(dtype: .int64)
        let source = try energies.maskedFill(isValid.logicalNot(), 0)
        let voxels = try Tensor.zeros([batch, geometry.voxelCount], dtype: transformed.dtype, device: transformed.device)
        return try voxels.scatterAdd(dim: 1, index: safeIndex, source: source)
    }

    /// Bin index (float64) of every value among bins `[e_k, e_{k+1})` with the given inner edges.
    private func bins(of values: Tensor, innerEdges: [Double]) throws -> Tensor {
        guard !innerEdges.isEmpty else { return try Tensor.zeros(values.shape, dtype: .float64, device: values.device) }
        let edges = try constant(innerEdges, shape: [innerEdges.count], like: values)
        return try values.bucketize(edges, right: true).to(dtype: .float64)
    }

    public var statistics: [String: String] {
        StatisticsWriter.geometry(geometry).merging(["pointCapacity": pointCapacity.map(String.init) ?? "none"]) { a, _ in a }
    }

    public init(statistics: [String: String]) throws {
        let reader = StatisticsReader(statistics, transform: Self.kind)
        let capacityText = try reader.string("pointCapacity")
        try self.init(
            geometry: try reader.geometry(), pointCapacity: capacityText == "none" ? nil : try reader.int("pointCapacity"))
    }
}
