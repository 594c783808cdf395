import CaloData
import Foundation

/// Hyper-parameters of the CaloDiffusion U-Net (paper version, spec/models.md §A.6–§A.11), with the
/// paper's four configurations, the newest repository's four (`*-2025`, §A.15) and a small CPU one built in.
///
/// The names of the reference configs (`configs/config_dataset*.json` of CaloDiffusionPaper) are given
/// with each field. Options of the reference code that no paper configuration uses (ConvNeXt blocks,
/// sinusoidal embeddings, the fully connected network) are not offered.
public struct CaloDiffusionConfig: Codable, Equatable, Sendable {
    /// Preset name (`ds1-photons`, `ds1-pions`, `ds2`, `ds3`, `cpu-demo`) or a name of your own.
    public var name: String
    /// Built-in geometry of the showers (`Geometry.named(_:)`).
    public var geometry: String
    /// Channels per U-Net level, `LAYER_SIZE_UNET`: level i maps `layerSizes[i]` to `layerSizes[i + 1]`
    /// channels, so there are `layerSizes.count − 1` levels. The output head reads `layerSizes[1]` channels
    /// where the decoder leaves `layerSizes[0]`, so the first two entries must be equal (as in the reference).
    public var layerSizes: [Int]
    /// GroupNorm groups in every ResNet block (8 in the reference).
    public var groupNormGroups: Int
    /// Width of the conditioning vector, `COND_SIZE_UNET`: two MLPs (noise level, energy) of
    /// `conditionSize / 2` outputs each, concatenated.
    public var conditionSize: Int
    /// Pads the angular axis circularly in every convolution, `CYLINDRICAL` (§A.8).
    public var isCylindrical: Bool
    /// Halves the layer (Z) axis when downsampling, `COMPRESS_Z`.
    public var compressesLayers: Bool
    /// Linear attention after the ResNet blocks of every level, `BLOCK_ATTN` (§A.10).
    public var hasBlockAttention: Bool
    /// Linear attention between the two bottleneck blocks, `MID_ATTN`.
    public var hasMiddleAttention: Bool
    /// Learned geometry latent mapping around the U-Net, `SHOWER_EMBED = 'orig-NN'` (§A.11; dataset 1).
    public var usesGLaM: Bool
    /// Radial and layer location channels, `R_Z_INPUT` (§A.9).
    public var usesRadialAndLayerChannels: Bool
    /// Angular location channel, `PHI_INPUT` (§A.9).
    public var usesAngularChannel: Bool
    /// Conditioning values per shower fed to the energy MLP: 1 (c_E) in the paper, N + 2
    /// ([c_E, totalE', layer'_1 … layer'_N], N = layers of the grid) for the newest repository's
    /// layer-conditioned configurations (`SHOWERMAP = 'layer-logit-norm'`, §A.15). Decoded as 1 when absent.
    public var energyInputs: Int

    public init(
        name: String, geometry: String, layerSizes: [Int], groupNormGroups: Int = 8, conditionSize: Int = 128,
        isCylindrical: Bool = true, compressesLayers: Bool = true, hasBlockAttention: Bool = true,
        hasMiddleAttention: Bool = true, usesGLaM: Bool, usesRadialAndLayerChannels: Bool = true, usesAngularChannel: Bool,
        energyInputs: Int = 1
    ) {
        self.name = name
        self.geometry = geometry
        self.layerSizes = layerSizes
        self.groupNormGroups = groupNormGroups
        self.conditionSize = conditionSize
        self.isCylindrical = isCylindrical
        self.compressesLayers = compressesLayers
        self.hasBlockAttention = hasBlockAttention
        self.hasMiddleAttention = hasMiddleAttention
        self.usesGLaM = usesGLaM
        self.usesRadialAndLayerChannels = usesRadialAndLayerChannels
        self.usesAngularChannel = usesAngularChannel
        self.energyInputs = energyInputs
    }

    /// Decodes a configuration; `energyInputs` (added with the newest repository's presets) defaults to 1, so
    /// checkpoints written before it still load.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        geometry = try c.decode(String.self, forKey: .geometry)
        layerSizes = try c.decode([Int].self, forKey: .layerSizes)
        groupNormGroups = try c.decode(Int.self, forKey: .groupNormGroups)
        conditionSize = try c.decode(Int.self, forKey: .conditionSize)
        isCylindrical = try c.decode(Bool.self, forKey: .isCylindrical)
        compressesLayers = try c.decode(Bool.self, forKey: .compressesLayers)
        hasBlockAttention = try c.decode(Bool.self, forKey: .hasBlockAttention)
        hasMiddleAttention = try c.decode(Bool.self, forKey: .hasMiddleAttention)
        usesGLaM = try c.decode(Bool.self, forKey: .usesGLaM)
        usesRadialAndLayerChannels = try c.decode(Bool.self, forKey: .usesRadialAndLayerChannels)
        usesAngularChannel = try c.decode(Bool.self, forKey: .usesAngularChannel)
        energyInputs = try c.decodeIfPresent(Int.self, forKey: .energyInputs) ?? 1
    }

    // MARK: presets

    /// Dataset 1 photons (`config_dataset1_photon.json`): 521,581 parameters, GLaM onto 5 × 10 × 30.
    public static let ds1Photons = CaloDiffusionConfig(
        name: "ds1-photons", geometry: "ds1-photons", layerSizes: [16, 16, 16, 32], usesGLaM: true, usesAngularChannel: true)
    /// Dataset 1 pions (`config_dataset1_pion.json`): 525,901 parameters, GLaM onto 7 × 10 × 23.
    public static let ds1Pions = CaloDiffusionConfig(
        name: "ds1-pions", geometry: "ds1-pions", layerSizes: [16, 16, 16, 32], usesGLaM: true, usesAngularChannel: true)
    /// Dataset 2 (`config_dataset2.json`): 517,969 parameters on 45 × 16 × 9.
    public static let ds2 = CaloDiffusionConfig(
        name: "ds2", geometry: "ds2", layerSizes: [16, 16, 16, 32], usesGLaM: false, usesAngularChannel: false)
    /// Dataset 3 (`config_dataset3.json`): 1,221,153 parameters on 45 × 50 × 18.
    public static let ds3 = CaloDiffusionConfig(
        name: "ds3", geometry: "ds3", layerSizes: [32, 32, 32, 32], usesGLaM: false, usesAngularChannel: false)
    /// The dataset 2 configuration with narrow levels ([8, 8, 8, 16]) and a 32-wide conditioning vector:
    /// 128,265 parameters, for CPU demonstrations and tests. Not a paper configuration.
    public static let cpuDemo = CaloDiffusionConfig(
        name: "cpu-demo", geometry: "ds2", layerSizes: [8, 8, 8, 16], conditionSize: 32, usesGLaM: false,
        usesAngularChannel: false)

    // The newest repository (github.com/OzAmram/CaloDiffusion, calodiffusion/configs/config_dataset*.json at
    // 57816bb; spec/models.md §A.15). Parameter counts from Fixtures/make_reference2025_fixtures.py.

    /// Dataset 1 photons, newest repository: [32, 32, 64, 96], GLaM, layer-conditioned (7 energy inputs):
    /// 4,162,029 parameters.
    public static let ds1PhotonsNewest = CaloDiffusionConfig(
        name: "ds1-photons-2025", geometry: "ds1-photons", layerSizes: [32, 32, 64, 96], usesGLaM: true,
        usesAngularChannel: true, energyInputs: 7)
    /// Dataset 1 pions, newest repository: [16, 16, 16, 32], GLaM, layer-conditioned (9 energy inputs):
    /// 526,157 parameters.
    public static let ds1PionsNewest = CaloDiffusionConfig(
        name: "ds1-pions-2025", geometry: "ds1-pions", layerSizes: [16, 16, 16, 32], usesGLaM: true,
        usesAngularChannel: true, energyInputs: 9)
    /// Dataset 2, newest repository: [32, 32, 64, 32], layer-conditioned (47 energy inputs): 2,212,785 parameters.
    public static let ds2Newest = CaloDiffusionConfig(
        name: "ds2-2025", geometry: "ds2", layerSizes: [32, 32, 64, 32], usesGLaM: false, usesAngularChannel: false,
        energyInputs: 47)
    /// Dataset 3, newest repository: the paper's ds3 network (1,221,153 parameters; only its `cond_mlp` keys
    /// differ), sampled with another formulation (§A.15).
    public static let ds3Newest = CaloDiffusionConfig(
        name: "ds3-2025", geometry: "ds3", layerSizes: [32, 32, 32, 32], usesGLaM: false, usesAngularChannel: false)

    /// The paper configurations and cpu-demo.
    public static let paperPresets: [CaloDiffusionConfig] = [ds1Photons, ds1Pions, ds2, ds3, cpuDemo]
    /// The newest repository's configurations.
    public static let newestPresets: [CaloDiffusionConfig] = [ds1PhotonsNewest, ds1PionsNewest, ds2Newest, ds3Newest]
    /// Every built-in configuration.
    public static let presets: [CaloDiffusionConfig] = paperPresets + newestPresets

    /// The built-in configuration called `name`; throws ``ModelError/unknownPreset(_:)`` listing them.
    public static func preset(named name: String) throws -> CaloDiffusionConfig {
        guard let config = presets.first(where: { $0.name == name }) else { throw ModelError.unknownPreset(name) }
        return config
    }

    // MARK: derived shapes

    /// The shower geometry.
    public func resolvedGeometry() throws -> Geometry {
        do {
            return try Geometry.named(geometry)
        } catch {
            throw ModelError.invalidNetworkConfig(name: name, reason: "\(error)")
        }
    }

    /// `[Z, Φ, R]` of the U-Net's finest level: the GLaM grid for dataset 1 (`[5, 10, 30]` photons,
    /// `[7, 10, 23]` pions), `[layers, angular, radial]` of a regular geometry (`[45, 16, 9]`, `[45, 50, 18]`).
    public func gridShape() throws -> [Int] {
        let geometry = try resolvedGeometry()
        if usesGLaM {
            guard geometry.regularShape == nil else {
                throw ModelError.invalidNetworkConfig(
                    name: name,
                    reason: "GLaM is for irregular geometries (dataset 1), but \(geometry.name) is regular; set usesGLaM to false"
                )
            }
            let mapping: GLaMMapping
            do { mapping = try GLaMMapping(geometry: geometry) } catch {
                throw ModelError.invalidNetworkConfig(name: name, reason: "\(error)")
            }
            return mapping.gridShape
        }
        guard let shape = geometry.regularShape else {
            throw ModelError.invalidNetworkConfig(
                name: name, reason: "\(geometry.name) has layers of different binnings; set usesGLaM to true")
        }
        return [shape.layers, shape.angular, shape.radial]
    }

    /// Shape of one shower in diffusion space, without the batch axis: `[voxels]` with GLaM,
    /// `[1, Z, Φ, R]` otherwise.
    public func sampleShape() throws -> [Int] {
        usesGLaM ? [try resolvedGeometry().voxelCount] : [1] + (try gridShape())
    }

    /// Location channels appended to the input (2 for radial and layer, 1 for angle).
    public var locationChannelCount: Int { (usesRadialAndLayerChannels ? 2 : 0) + (usesAngularChannel ? 1 : 0) }

    /// Channels of the U-Net input: the shower and its location channels.
    public var inputChannels: Int { 1 + locationChannelCount }

    /// The resolution levels and the down/up-sampling bookkeeping (§A.7).
    public func resolutionPlan() throws -> ResolutionPlan {
        guard layerSizes.count >= 2 else {
            throw ModelError.invalidNetworkConfig(name: name, reason: "layerSizes \(layerSizes) needs at least 2 entries")
        }
        return try ResolutionPlan(
            gridShape: gridShape(), levels: layerSizes.count - 1, compressesLayers: compressesLayers, configuration: name)
    }

    /// Checks that the configuration describes a working network; throws
    /// ``ModelError/invalidNetworkConfig(name:reason:)`` naming the first problem.
    public func validate() throws {
        func fail(_ reason: String) -> ModelError { .invalidNetworkConfig(name: name, reason: reason) }
        guard layerSizes.count >= 2, layerSizes.allSatisfy({ $0 > 0 }) else {
            throw fail("layerSizes \(layerSizes) needs at least 2 positive entries")
        }
        guard layerSizes[0] == layerSizes[1] else {
            throw fail(
                "layerSizes \(layerSizes): the first two entries must be equal (the output block reads layerSizes[1] channels)")
        }
        guard groupNormGroups > 0, layerSizes.allSatisfy({ $0 % groupNormGroups == 0 }) else {
            throw fail("every entry of layerSizes \(layerSizes) must be divisible by groupNormGroups \(groupNormGroups)")
        }
        guard conditionSize >= 4, conditionSize % 4 == 0 else {
            throw fail("conditionSize \(conditionSize) must be a positive multiple of 4")
        }
        guard energyInputs >= 1 else { throw fail("energyInputs \(energyInputs) must be at least 1") }
        _ = try resolutionPlan()
    }
}
