import Foundation
import Testing

@testable import CaloModels

@Suite struct CaloDiffusionConfigTests {
    /// The presets carry the paper values (spec/models.md §A.7): LAYER_SIZE_UNET, 8 groups, COND_SIZE_UNET 128,
    /// cylindrical, compressed Z, attention on; GLaM and the Φ channel for dataset 1 only.
    @Test func presetsHoldThePaperValues() throws {
        for config in [CaloDiffusionConfig.ds1Photons, .ds1Pions, .ds2, .ds3] {
            #expect(config.groupNormGroups == 8)
            #expect(config.conditionSize == 128)
            #expect(config.isCylindrical && config.compressesLayers && config.hasBlockAttention && config.hasMiddleAttention)
            #expect(config.usesRadialAndLayerChannels)
            #expect(config.usesGLaM == config.name.hasPrefix("ds1"))
            #expect(config.usesAngularChannel == config.name.hasPrefix("ds1"))
            #expect(config.layerSizes == (config.name == "ds3" ? [32, 32, 32, 32] : [16, 16, 16, 32]))
            try config.validate()
        }
        #expect(CaloDiffusionConfig.cpuDemo.geometry == "ds2")
        #expect(
            CaloDiffusionConfig.presets.map(\.name) == [
                "ds1-photons", "ds1-pions", "ds2", "ds3", "cpu-demo",
                "ds1-photons-2025", "ds1-pions-2025", "ds2-2025", "ds3-2025",
            ])
        #expect(try CaloDiffusionConfig.preset(named: "ds3") == .ds3)
        #expect(throws: ModelError.unknownPreset("ds4")) { try CaloDiffusionConfig.preset(named: "ds4") }
        #expect(ModelError.unknownPreset("ds4").description.contains("ds1-photons, ds1-pions, ds2, ds3, cpu-demo"))
    }

    /// The newest repository's configs (calodiffusion/configs/config_dataset*.json, spec/models.md §A.15):
    /// LAYER_SIZE_UNET, and N + 2 energy inputs where SHOWERMAP is 'layer-logit-norm' (N = SHAPE_FINAL[2]).
    @Test func newestPresetsHoldTheRepositoryValues() throws {
        let expected: [(CaloDiffusionConfig, [Int], Int, Bool)] = [
            (.ds1PhotonsNewest, [32, 32, 64, 96], 5 + 2, true), (.ds1PionsNewest, [16, 16, 16, 32], 7 + 2, true),
            (.ds2Newest, [32, 32, 64, 32], 45 + 2, false), (.ds3Newest, [32, 32, 32, 32], 1, false),
        ]
        for (config, sizes, inputs, glam) in expected {
            #expect(config.layerSizes == sizes && config.energyInputs == inputs && config.usesGLaM == glam, "\(config.name)")
            #expect(config.conditionSize == 128 && config.groupNormGroups == 8 && config.usesAngularChannel == glam)
            try config.validate()
        }
        #expect(CaloDiffusionConfig.paperPresets.allSatisfy { $0.energyInputs == 1 })
    }

    /// Configurations written before `energyInputs` existed decode with one energy input.
    @Test func decodesConfigurationsWithoutEnergyInputs() throws {
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(CaloDiffusionConfig.ds2)) as? [String: Any])
        #expect(object.removeValue(forKey: "energyInputs") as? Int == 1)
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(try JSONDecoder().decode(CaloDiffusionConfig.self, from: data) == .ds2)
    }

    @Test func roundTripsThroughJSON() throws {
        for config in CaloDiffusionConfig.presets {
            let data = try JSONEncoder().encode(config)
            #expect(try JSONDecoder().decode(CaloDiffusionConfig.self, from: data) == config)
        }
    }

    private static func demo(_ change: (inout CaloDiffusionConfig) -> Void) -> CaloDiffusionConfig {
        var config = CaloDiffusionConfig.cpuDemo
        change(&config)
        return config
    }

    @Test(arguments: [
        ("layerSizes [16, 32, 32]: the first two entries must be equal", demo { $0.layerSizes = [16, 32, 32] }),
        ("divisible by groupNormGroups 8", demo { $0.layerSizes = [12, 12, 12, 24] }),
        ("conditionSize 30 must be a positive multiple of 4", demo { $0.conditionSize = 30 }),
        ("energyInputs 0 must be at least 1", demo { $0.energyInputs = 0 }),
        ("GLaM is for irregular geometries", demo { $0.usesGLaM = true }),
        ("set usesGLaM to true", demo { $0.geometry = "ds1-pions" }),
        ("unknown geometry 'ds7'", demo { $0.geometry = "ds7" }),
        ("too small to downsample", demo { $0.layerSizes = [8, 8, 8, 8, 8, 8] }),
    ])
    func invalidConfigurationsAreExplained(message: String, config: CaloDiffusionConfig) throws {
        do {
            try config.validate()
            Issue.record("\(config) was accepted")
        } catch let error as ModelError {
            #expect(error.description.contains(message), "\(error)")
            #expect(error.description.hasPrefix("CaloDiffusion configuration 'cpu-demo': "))
        }
    }
}
