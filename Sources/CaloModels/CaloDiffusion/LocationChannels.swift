import Torch

/// The location images CaloDiffusion appends to its input (reference `create_R_Z_image`, `create_phi_image`,
/// spec/models.md §A.9), identical for every shower, in channel order [R, Z, Φ]:
/// - R: the radial bin centre divided by the largest bin centre (1 in the outermost bin);
/// - Z: the layer index z divided by the number of layers, z/N_Z (below 1);
/// - Φ: `linspace(0, 1, N_Φ)` along the angular axis.
/// Values are computed in float32 as the reference does (float32 image, then divided by a Python float).
enum LocationChannels {
    /// `[1, channels, Z, Φ, R]` float32 on the CPU, with the R and Z images when `radialAndLayer` and the Φ
    /// image when `angular`; `radialEdges` are the `R + 1` edges (mm) of the grid's radial bins.
    static func images(gridShape: [Int], radialEdges: [Double], radialAndLayer: Bool, angular: Bool) throws -> Tensor {
        let (z, phi, r) = (gridShape[0], gridShape[1], gridShape[2])
        precondition(radialEdges.count == r + 1, "LocationChannels: \(radialEdges.count) radial edges for \(r) bins")
        var channels: [Tensor] = []
        if radialAndLayer {
            let centres = (0..<r).map { (radialEdges[$0] + radialEdges[$0 + 1]) / 2 }
            let radial = try Tensor(centres.map { Float($0) }, shape: [1, 1, r]) / centres[r - 1]
            let layer = try Tensor((0..<z).map { Float($0) }, shape: [z, 1, 1]) / Double(z)
            channels.append(try radial.expanded([z, phi, r]))
            channels.append(try layer.expanded([z, phi, r]))
        }
        if angular {
            let angles = try Tensor.linspace(0, 1, count: phi, dtype: .float32, device: .cpu).reshaped([1, phi, 1])
            channels.append(try angles.expanded([z, phi, r]))
        }
        guard !channels.isEmpty else { return try Tensor.zeros([1, 0, z, phi, r], device: .cpu) }
        return try Tensor.stack(channels, dim: 0).unsqueezed(0).contiguous()
    }
}
