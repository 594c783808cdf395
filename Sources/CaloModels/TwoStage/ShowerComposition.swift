import CaloData
import Torch

/// Puts layer energies into layer-normalised shower shapes (spec/models.md §B.2.5, §A.15): each layer's
/// shape is renormalised to sum 1 and multiplied by its energy; voxels below the readout threshold are
/// dropped and the survivors rescaled so that every layer holds exactly its energy. A layer's largest voxel
/// (the first, among equals) always survives, so a layer whose energy reaches the threshold is never emptied; a layer whose energy is
/// below the threshold reads 0, as in the data.
public struct ShowerComposition {
    public let geometry: Geometry
    /// Voxels below this energy (MeV) read 0.
    public let threshold: Double
    let voxelLayers: Tensor

    /// A composition for `geometry` with a readout `threshold` in MeV (≥ 0).
    public init(geometry: Geometry, threshold: Double) throws {
        guard threshold >= 0, threshold.isFinite else {
            throw ModelError.invalidConfig("the readout threshold must be a non-negative number of MeV, got \(threshold)")
        }
        self.geometry = geometry
        self.threshold = threshold
        voxelLayers = try Tensor(geometry.voxelLayerIndices.map(Int64.init))
    }

    /// Per-layer sums of `values` `[B, V]` → `[B, N]`.
    func layerSums(_ values: Tensor) throws -> Tensor {
        try geometry.layerEnergies(of: values)
    }

    /// Applies `body` to every layer's voxels along the last axis (`[B, N, P]` at once on a regular
    /// geometry, `[B, n_l]` layer by layer otherwise) and reassembles `[B, V]`.
    func perLayer(_ values: Tensor, _ body: (Tensor) throws -> Tensor) throws -> Tensor {
        if let regular = geometry.regularShape {
            return try body(try values.reshaped([-1, regular.layers, regular.angular * regular.radial])).reshaped(values.shape)
        }
        let offsets = geometry.offsets
        let parts = try geometry.relevantLayerPositions.map { position in
            try body(try values.narrowed(dim: 1, start: offsets[position], length: geometry.layers[position].voxelCount))
        }
        return try Tensor.cat(parts, dim: 1)
    }

    /// True at the first largest voxel of every layer, `[B, V]`.
    func layerMaximum(_ values: Tensor) throws -> Tensor {
        try perLayer(values) { layer in
            let positions = try Tensor.arange(0, Double(layer.dim(-1)), dtype: .int64, device: layer.device)
            return try positions .== layer.argmax(dim: -1, keepDim: true)
        }
    }

    /// Shapes `[B, V]` (≥ 0 per voxel, any scale per layer) and layer energies `[B, N]` (MeV) → showers
    /// `[B, V]` (MeV) whose layer sums equal `layerEnergies` wherever they reach the threshold.
    public func compose(shapes: Tensor, layerEnergies: Tensor) throws -> Tensor {
        let shapes = try shapes.clamped(min: 0)
        let energies = try layerEnergies.clamped(min: 0)
        let expand = { (perLayer: Tensor) throws -> Tensor in try geometry.expandingLayerValues(perLayer) }
        // A layer whose shape is all zero gets a uniform shape.
        let sums = try layerSums(shapes)
        let uniform = try expand(try (sums .<= 0).to(dtype: shapes.dtype))
        let filled = try shapes + uniform
        let fractions = try filled / expand(try layerSums(filled))
        let values = try fractions * expand(energies)
        let keep = try (values .>= threshold).logicalOr(layerMaximum(values))
        let kept = try values * keep.to(dtype: values.dtype)
        let keptSums = try layerSums(kept)
        let scale = try `where`(keptSums .> 0, energies / keptSums.clamped(min: Double.leastNormalMagnitude), keptSums.zerosLike())
        let showers = try kept * expand(scale)
        return try showers.maskedFill(try showers .< threshold, 0)
    }
}
