import CaloData
import Torch
import TorchNN

/// The CaloDiffusion denoising network F(x; noise level, energy) of the paper version (Amram & Pedro,
/// PRD 108 072014; spec/models.md §A.3–§A.11): for dataset 1, GLaM encoding of the flat shower onto a
/// regular grid, location channels, the conditional cylindrical U-Net and GLaM decoding back; for
/// datasets 2 and 3 the U-Net works on the `[1, Z, Φ, R]` shower directly.
///
/// Its state-dict keys equal those of the reference `CaloDiffu` module (`model.…` for the U-Net,
/// `NN_embed.…` for GLaM), so a reference checkpoint loads with ``Module/load(stateDict:strict:)`` as it is.
/// What F predicts (the noise for `noise_pred`, the F of the hybrid preconditioning for ds3) is the concern
/// of the diffusion process around it, not of this network.
public final class CaloDiffusionUNet: Module {
    /// The hyper-parameters the network was built from.
    public let config: CaloDiffusionConfig
    /// The shower geometry of ``config``.
    public let geometry: Geometry
    /// Shape of one shower in diffusion space (without the batch axis): `[voxels]` with GLaM, `[1, Z, Φ, R]` otherwise.
    public let sampleShape: [Int]

    let glam: GLaMEmbedding?
    let unet: ConditionalUNet
    /// `[1, locationChannels, Z, Φ, R]`, float32, on the device the model was built on (a non-persistent
    /// buffer: not a parameter, not in the state dict).
    let locationImages: Buffer

    override public var keyOverrides: [String: String] { ["glam": "NN_embed", "unet": "model"] }

    /// Builds the network on the ambient device with PyTorch's default initialisation drawn from
    /// `generator` (and GLaM's area-overlap start, §A.11). Throws
    /// ``ModelError/invalidNetworkConfig(name:reason:)`` for a configuration that cannot work.
    public init(config: CaloDiffusionConfig, generator: Generator) throws {
        try config.validate()
        self.config = config
        geometry = try config.resolvedGeometry()
        sampleShape = try config.sampleShape()
        let gridShape = try config.gridShape()
        // The reference creates the GLaM maps before the U-Net.
        let glam = config.usesGLaM ? try GLaMEmbedding(geometry: geometry, generator: generator) : nil
        self.glam = glam
        unet = try ConditionalUNet(config: config, generator: generator)
        let radialEdges = glam?.mapping.regularEdges ?? geometry.relevantLayers[0].radialEdges
        let images = try LocationChannels.images(
            gridShape: gridShape, radialEdges: radialEdges, radialAndLayer: config.usesRadialAndLayerChannels,
            angular: config.usesAngularChannel)
        locationImages = Buffer(wrappedValue: Device.current == .cpu ? images : try images.to(Device.current), persistent: false)
        super.init()
    }

    /// The network output for diffusion-space showers, with the same shape as `x`.
    ///
    /// - Parameters:
    ///   - x: `[B, voxels]` (dataset 1, GLaM) or `[B, 1, Z, Φ, R]` (datasets 2, 3), float32.
    ///   - noiseLevel: `[B]`, the noise-level input; the paper feeds √(1 − ᾱ_t) (`TIME_EMBED = 'sigma'`).
    ///   - energy: `[B]`, the conditioning energy c_E = log10(E/E_min)/log10(E_max/E_min) (§A.2); for a
    ///     layer-conditioned configuration (`config.energyInputs` = N + 2) `[B, N + 2]`: c_E, the normalised
    ///     total energy and the N normalised layer fractions (§A.15).
    /// - Throws: ``ModelError/wrongInputShape(input:expected:actual:)`` for inputs of another shape;
    ///   `TorchError` from LibTorch.
    public func callAsFunction(x: Tensor, noiseLevel: Tensor, energy: Tensor) throws -> Tensor {
        let batch = x.ndim > 0 ? x.dim(0) : 0
        guard x.ndim == sampleShape.count + 1, Array(x.shape.dropFirst()) == sampleShape else {
            throw ModelError.wrongInputShape(
                input: "x", expected: "[B, " + sampleShape.map(String.init).joined(separator: ", ") + "]", actual: x.shape)
        }
        if noiseLevel.shape != [batch] {
            throw ModelError.wrongInputShape(
                input: "noiseLevel", expected: "[\(batch)] (one value per shower)", actual: noiseLevel.shape)
        }
        let inputs = config.energyInputs
        if inputs == 1 ? energy.shape != [batch] : energy.shape != [batch, inputs] {
            throw ModelError.wrongInputShape(
                input: "energy",
                expected: inputs == 1 ? "[\(batch)] (one value per shower)" : "[\(batch), \(inputs)] (c_E, totalE', \(inputs - 2) layer values per shower)",
                actual: energy.shape)
        }
        let grid = try glam?.encode(x) ?? x
        var images = locationImages.wrappedValue
        if images.device != grid.device || images.dtype != grid.dtype {
            images = try images.to(dtype: grid.dtype, device: grid.device)
        }
        let input =
            images.dim(1) == 0
            ? grid : try Tensor.cat([grid, try images.expanded([batch] + Array(images.shape.dropFirst()))], dim: 1)
        let output = try unet(input, energy: energy, noiseLevel: noiseLevel)
        return try glam?.decode(output) ?? output
    }
}
