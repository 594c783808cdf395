import CaloData
@testable import CaloModels
import Foundation
import Testing
import Torch

@Suite struct LayeredCaloDiffusionConfigTests {
    static func ds2() throws -> LayeredCaloDiffusionConfig {
        try LayeredCaloDiffusionConfig.reference(
            name: "ds2-2025", network: .ds2Newest, layerNetwork: LayerDiffusionNetwork.Config(layerCount: 45))
    }

    /// The reference defaults: σ_data 1, DDIM 200 for the U-Net, 400 layer steps, ECUT 1.51e-5 over SHOWERSCALE 200.
    @Test func referenceDefaults() throws {
        let config = try Self.ds2()
        #expect(config.energyScale == 200 && config.sigmaData == 1)
        #expect(config.samplingSteps == 200 && config.layerSamplingSteps == 400 && config.samplingOffset == 0)
        #expect(abs(config.minimumEnergy - 7.55e-8) < 1e-20)
        #expect(config.layerConstants == .ds2)
        let photons = try LayeredCaloDiffusionConfig.reference(
            name: "p", network: .ds1PhotonsNewest, layerNetwork: LayerDiffusionNetwork.Config(layerCount: 5))
        #expect(abs(photons.minimumEnergy - 5e-10) < 1e-22)
        #expect(photons.layerConstants == .ds1Photons)
    }

    /// c_E = log10(200·E_inc/EMIN)/log10(EMAX/EMIN), E_inc in MeV, EMIN and EMAX the configs' (GeV) numbers.
    @Test func energyConditionIsTheReferencesScaledOne() throws {
        let energies = try Tensor([1_000.0, 65_536, 1_000_000], shape: [3, 1])
        let ds2 = try Self.ds2().energyCondition(for: try Geometry.named("ds2")).forward(incidentEnergies: energies)
        let expected = [1_000.0, 65_536, 1_000_000].map { Foundation.log10(200 * $0 / 1) / 3 }
        try expectClose(ds2, try Tensor(expected, shape: [3, 1]), atol: 1e-12)
        let ds1 = try Self.ds2().energyCondition(for: try Geometry.named("ds1-photons")).forward(incidentEnergies: energies)
        let expected1 = [1_000.0, 65_536, 1_000_000].map {
            Foundation.log10(200 * $0 / 0.256) / Foundation.log10(4194.304 / 0.256)
        }
        try expectClose(ds1, try Tensor(expected1, shape: [3, 1]), atol: 1e-12)
    }

    /// The networks must agree with each other and the geometry; fields out of range are named.
    @Test func validationNamesTheProblem() throws {
        #expect(throws: ModelError.self) {
            try LayeredCaloDiffusionConfig.reference(
                name: "x", network: .ds2Newest, layerNetwork: LayerDiffusionNetwork.Config(layerCount: 5))
        }
        #expect(throws: ModelError.self) {
            try LayeredCaloDiffusionConfig.reference(
                name: "x", network: .ds2, layerNetwork: LayerDiffusionNetwork.Config(layerCount: 45))
        }
        for change in [
            { (c: inout LayeredCaloDiffusionConfig) in c.sigmaData = 0 }, { $0.energyScale = -1 }, { $0.layerSamplingSteps = 1 },
            { $0.samplingOffset = 199 }, { $0.minimumEnergy = -1 }, { $0.layerConstants.layersStd = 0 },
        ] {
            var config = try Self.ds2()
            change(&config)
            #expect(throws: ModelError.self) { try config.validate() }
        }
    }

    /// JSON round trip through the registry's decoder.
    @Test func decodesThroughTheRegistry() throws {
        let json = try Self.ds2().prettyJSON()
        let decoded = try GeneratorRegistry.entry(modelKind: "layered-calodiffusion").decodeConfiguration(Data(json.utf8))
        let config = try #require(decoded as? LayeredCaloDiffusionConfig)
        #expect(try config == Self.ds2())
    }
}
