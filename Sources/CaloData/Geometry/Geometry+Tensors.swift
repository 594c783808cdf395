import Foundation
import Torch

extension Geometry {
    /// Positions (in ``layers``) of the layers that hold voxels, in XML order.
    public var relevantLayerPositions: [Int] { layers.indices.filter { layers[$0].isRelevant } }

    /// For every flat voxel, the index of its layer among the relevant layers (0 ..< relevantLayers.count).
    public var voxelLayerIndices: [Int] {
        var result: [Int] = []
        result.reserveCapacity(voxelCount)
        for (index, layer) in relevantLayers.enumerated() {
            result += Array(repeating: index, count: layer.voxelCount)
        }
        return result
    }

    /// Throws ``CaloDataError/wrongTensorShape(operation:expected:actual:)`` unless `showers` is
    /// `[batch, voxelCount]`.
    public func checkShowers(_ showers: Tensor, operation: String) throws {
        let shape = showers.shape
        guard shape.count == 2, shape[1] == voxelCount else {
            throw CaloDataError.wrongTensorShape(
                operation: operation, expected: "[batch, \(voxelCount)] (flat showers of geometry \(name))", actual: shape)
        }
    }

    /// Energy of every relevant layer, `[batch, voxels]` → `[batch, relevantLayers]` (spec/calochallenge.md §3,
    /// `E_layer`). Sums in the input's dtype, layer by layer, so the result does not depend on the device.
    public func layerEnergies(of showers: Tensor) throws -> Tensor {
        try checkShowers(showers, operation: "layer energies")
        if let regular = regularShape {
            return try showers.reshaped([-1, regular.layers, regular.angular * regular.radial]).sum(dims: [2])
        }
        let offsets = self.offsets
        var sums: [Tensor] = []
        for position in relevantLayerPositions {
            let slice = try showers.narrowed(dim: 1, start: offsets[position], length: layers[position].voxelCount)
            sums.append(try slice.sum(dims: [1]))
        }
        return try Tensor.stack(sums, dim: 1)
    }

    /// Spreads one value per relevant layer onto that layer's voxels: `[batch, relevantLayers]` →
    /// `[batch, voxels]`.
    public func expandingLayerValues(_ values: Tensor) throws -> Tensor {
        let count = relevantLayers.count
        guard values.ndim == 2, values.dim(1) == count else {
            throw CaloDataError.wrongTensorShape(
                operation: "expand layer values", expected: "[batch, \(count)] (relevant layers of geometry \(name))",
                actual: values.shape)
        }
        let index = try Tensor(voxelLayerIndices.map(Int64.init)).to(device: values.device)
        return try values.indexSelect(dim: 1, index: index)
    }
}
