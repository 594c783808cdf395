import CaloData
import Torch
import TorchNN

/// The learned geometry latent mapping of CaloDiffusion for dataset 1 (GLaM, reference `NNConverter`,
/// spec/models.md §A.11): per relevant layer l a bias-free linear map C_l (r_l → R') into the regular radial
/// binning and one D_l (R' → r_l) back, both trained with the U-Net.
///
/// C_l starts as the area-overlap matrix and D_l as its pseudo-inverse (``GLaMMapping/encoderMatrix(layer:)``,
/// ``GLaMMapping/decoderMatrix(layer:)``), each plus N(0, (1e-5)²) noise drawn from the generator (C_l, then D_l,
/// layer by layer). Keys `encs.<l>.weight` (`[R', r_l]`) and `decs.<l>.weight` (`[r_l, R']`).
final class GLaMEmbedding: Module {
    let encs: [Linear]
    let decs: [Linear]
    let mapping: GLaMMapping

    /// Standard deviation of the noise added to the initial matrices.
    static let initialNoise = 1e-5

    init(geometry: Geometry, generator: Generator) throws {
        mapping = try GLaMMapping(geometry: geometry)
        let outputs = mapping.regularBinCount
        var encs: [Linear] = []
        var decs: [Linear] = []
        for (index, layer) in geometry.relevantLayers.enumerated() {
            // As the reference: a default-initialised nn.Linear whose weight is then replaced.
            let encoder = try Linear(layer.radialBins, outputs, bias: false, generator: generator)
            try Self.initialise(encoder.weight, to: mapping.encoderMatrix(layer: index), generator: generator)
            let decoder = try Linear(outputs, layer.radialBins, bias: false, generator: generator)
            try Self.initialise(decoder.weight, to: mapping.decoderMatrix(layer: index), generator: generator)
            encs.append(encoder)
            decs.append(decoder)
        }
        self.encs = encs
        self.decs = decs
        super.init()
    }

    private static func initialise(_ weight: Tensor, to rows: [[Double]], generator: Generator) throws {
        let matrix = try Tensor(rows.flatMap { $0 }.map { Float($0) }, shape: weight.shape)
        let noise = try Tensor.randn(weight.shape, generator: generator)
        let initial = try matrix + initialNoise * noise
        try withNoGrad { try weight.copy_(initial) }
    }

    /// Relevant layers of the geometry (those with voxels), in flat order.
    private var layers: [Geometry.Layer] { mapping.geometry.relevantLayers }

    /// `[Z, Φ, R']` of the regular grid.
    var gridShape: [Int] { mapping.gridShape }

    /// Flat showers `[B, voxels]` → grid `[B, 1, layers, angularBins, R']`. Layers with one angular bin are
    /// spread evenly over the angular bins (replicated and divided by their number).
    func encode(_ x: Tensor) throws -> Tensor {
        let batch = x.dim(0)
        let angular = mapping.angularBins
        let offsets = mapping.geometry.offsets
        var images: [Tensor] = []
        for (index, position) in mapping.geometry.relevantLayerPositions.enumerated() {
            let layer = mapping.geometry.layers[position]
            let slice = try x.narrowed(dim: 1, start: offsets[position], length: layer.voxelCount)
            var image = try encs[index](try slice.reshaped([batch, layer.angularBins, layer.radialBins]))  // [B, a_l, R']
            if layer.angularBins == 1 && angular > 1 {
                image = try image.expanded([batch, angular, mapping.regularBinCount]) / Double(angular)
            }
            images.append(image)
        }
        return try Tensor.stack(images, dim: 1).unsqueezed(1)
    }

    /// Grid `[B, 1, layers, angularBins, R']` → flat showers `[B, voxels]`. Layers with one angular bin are
    /// summed over the angular bins.
    func decode(_ x: Tensor) throws -> Tensor {
        let grid = try x.squeezed(dim: 1)
        let batch = grid.dim(0)
        var pieces: [Tensor] = []
        for (index, layer) in layers.enumerated() {
            var decoded = try decs[index](try grid.selecting(dim: 1, index: index))  // [B, A, r_l]
            if layer.angularBins == 1 && mapping.angularBins > 1 {
                decoded = try decoded.sum(dims: [-2], keepDim: true)
            }
            pieces.append(try decoded.reshaped([batch, layer.voxelCount]))
        }
        return try Tensor.cat(pieces, dim: 1)
    }
}
