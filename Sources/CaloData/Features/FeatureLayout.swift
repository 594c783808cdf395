/// Voxel-centre coordinates of a geometry's relevant layers, computed once so that the feature
/// loops only multiply and add (spec/calochallenge.md §2.2). Layers are ordered by id.
struct FeatureLayout: Sendable {
    /// One relevant layer: its flat voxel range and, per voxel in flat order, the coordinates the
    /// features weight by. The squares are stored as `x * x`, the product the official code forms.
    struct Layer: Sendable {
        let id: Int
        let isAngularlyBinned: Bool
        let voxels: Range<Int>
        let r: [Double]
        let rSquared: [Double]
        /// Empty unless the layer is angularly binned.
        let eta: [Double]
        let etaSquared: [Double]
        let phi: [Double]
        let phiSquared: [Double]
    }

    let voxelCount: Int
    let layers: [Layer]

    init(geometry: Geometry) {
        let offsets = geometry.offsets
        var layers: [Layer] = []
        for (position, layer) in geometry.layers.enumerated() where layer.isRelevant {
            let centres = geometry.voxelCentres(layer: position)
            let binned = layer.isAngularlyBinned
            layers.append(Layer(
                id: layer.id,
                isAngularlyBinned: binned,
                voxels: offsets[position]..<offsets[position + 1],
                r: centres.r,
                rSquared: centres.r.map { $0 * $0 },
                eta: binned ? centres.eta : [],
                etaSquared: binned ? centres.eta.map { $0 * $0 } : [],
                phi: binned ? centres.phi : [],
                phiSquared: binned ? centres.phi.map { $0 * $0 } : []))
        }
        // Stable sort: the official files list layers in increasing id already.
        self.layers = layers.enumerated().sorted { ($0.element.id, $0.offset) < ($1.element.id, $1.offset) }.map(\.element)
        voxelCount = geometry.voxelCount
    }
}
