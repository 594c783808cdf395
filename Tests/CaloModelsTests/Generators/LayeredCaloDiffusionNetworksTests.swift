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
}
