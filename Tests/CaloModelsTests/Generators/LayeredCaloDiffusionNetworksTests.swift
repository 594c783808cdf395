@testable import CaloModels
import Testing
import Torch

@Suite struct LayeredCaloDiffusionNetworksTests {
    /// The checkpoint keys are the reference LayerDiffusion's: `layer_model.…` and the U-Net's own `model.…`.
    @Test func keysAreTheReferenceOnes() throws {
        let generator = try Generator(seed: 1)
        let layer = try LayerDiffusionNetwork(
            config: .init(layerCount: 45, hiddenWidth: 8, conditionSize: 8), generator: generator)
        var unetConfig = CaloDiffusionConfig.cpuDemo
        unetConfig.energyInputs = 47
        let unet = try CaloDiffusionUNet(config: unetConfig, generator: generator)
        let networks = LayeredCaloDiffusionNetworks(layerModel: layer, shape: unet)
        let keys = Set(networks.stateDict().keys)
        #expect(keys.contains("layer_model.in_lay.weight"))
        #expect(keys.contains("model.init_conv.conv.weight"))
        #expect(keys.count == layer.stateDict().count + unet.stateDict().count)
        #expect(keys.allSatisfy { $0.hasPrefix("layer_model.") || $0.hasPrefix("model.") })
        #expect(networks.parameterCount == layer.parameterCount + unet.parameterCount)
    }

    /// At the reference widths, ds2-2025 holds the U-Net of unet_keys_2025.json (2,212,785 parameters) and the
    /// layer model of layerdiffusion_keys.json (694,958).
    @Test func referenceWidthsHaveTheReferenceParameterCounts() throws {
        let config = try LayeredCaloDiffusionConfigTests.ds2()
        let model = try LayeredCaloDiffusionModel(config: config, generator: try Generator(seed: 0))
        #expect(model.networks.shape.parameterCount == 2_212_785)
        #expect(model.networks.layerModel.parameterCount == 694_958)
        #expect(model.parameterCount == 2_907_743)
    }
}
