@testable import CaloModels
import Foundation
import Testing
import Torch

@Suite struct LayeredCaloDiffusionModelRegistryTests {
    /// The registry routes a LayerDiffusion file (layer-conditioned U-Net + `layer_model.…`) to the layered kind,
    /// with both networks' weights as the file holds them.
    @Test func importRoutesLayerDiffusionFilesToTheLayeredModel() throws {
        let url = try Fixtures.url("layered-model.safetensors")
        let imported = try GeneratorRegistry.importReference(GeneratorEntry.ImportRequest(url: url, geometry: "ds2"))
        let model = try #require(imported.generator as? LayeredCaloDiffusionModel)
        #expect(model.config.network.energyInputs == 47 && model.config.layerCount == 45)
        #expect(model.config.layerNetwork == LayerDiffusionNetwork.Config(layerCount: 45, hiddenWidth: 32, conditionSize: 16))
        #expect(imported.details["layer_model"]?.hasPrefix("N = 45") == true)
        #expect(imported.details["layout"] == "newest")
        let file = try Fixtures.tensors("layered-model.safetensors")
        // The U-Net's keys are CaloForge's (the paper layout): the newest layout's cond_mlp.0/2/4 are cond_mlp.1/3/5.
        for (key, tensor) in model.networks.stateDict() {
            var fileKey = key
            for (ours, theirs) in [
                ("model.cond_mlp.1.", "model.cond_mlp.0."), ("model.cond_mlp.3.", "model.cond_mlp.2."),
                ("model.cond_mlp.5.", "model.cond_mlp.4."),
            ]
            where key.hasPrefix(ours) {
                fileKey = theirs + key.dropFirst(ours.count)
            }
            let source = try #require(file[fileKey], "\(fileKey) is not in the file")
            #expect(try (tensor .== source).all().item() == 1, "\(key)")
        }
    }

    /// A layer-conditioned U-Net without its layer model is refused, naming what is missing.
    @Test func aLayerConditionedUNetAloneIsRefused() throws {
        let url = try Fixtures.url("layered-demo.weights.safetensors")
        do {
            _ = try GeneratorRegistry.importReference(GeneratorEntry.ImportRequest(url: url, geometry: "ds2"))
            Issue.record("the import should fail")
        } catch let error as ModelError {
            guard case let .missingLayerModel(path, _, inputs) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == url.path && inputs == 47)
            #expect(error.description.contains("layer_model"))
        }
    }

    /// CaloDiffusion's own configurations refuse the newest networks, pointing layer-conditioned ones to this kind.
    @Test func calodiffusionConfigurationsPointLayeredNetworksHere() throws {
        do {
            _ = try CaloDiffusionModelConfig.forReferenceNetwork(.ds2Newest)
            Issue.record("ds2-2025 is not a CaloDiffusion configuration")
        } catch let ModelError.unsupportedReferenceFormulation(network, reason) {
            #expect(network == "ds2-2025" && reason.contains("layered-calodiffusion"))
        }
        #expect(throws: ModelError.self) { try CaloDiffusionModelConfig.forReferenceNetwork(.ds3Newest) }
    }
}
