import CaloData
import Foundation
import Testing
import Torch
import _TestSupport

@testable import CaloModels

@Suite struct LayerLogitNormVariablesTests {
    static let datasets = ["ds2", "ds1-photons", "ds1-pions", "ds3"]

    static func variables(_ name: String) throws -> LayerLogitNormVariables {
        try LayerLogitNormVariables(geometry: try Geometry.named(name))
    }

    /// N, MAXDEP and constants of the built-in geometries (ds1: the 5 and 7 relevant layers).
    @Test func geometriesGiveTheReferenceSettings() throws {
        let ds2 = try Self.variables("ds2")
        #expect(ds2.layerCount == 45 && ds2.count == 46 && ds2.maxDeposit == 2 && ds2.constants == .ds2)
        let photons = try Self.variables("ds1-photons")
        #expect(photons.layerCount == 5 && photons.maxDeposit == 3.1 && photons.constants == .ds1Photons)
        let pions = try Self.variables("ds1-pions")
        #expect(pions.layerCount == 7 && pions.maxDeposit == 3.1 && pions.constants == .ds1Pions)
        let ds3 = try Self.variables("ds3")
        #expect(ds3.layerCount == 45 && ds3.maxDeposit == 2 && ds3.constants == .identity)
    }

    /// Golden values of the reference `preprocess_shower` (SHOWERMAP 'layer-logit-norm') on showers with empty
    /// layers, a one-layer shower and an empty shower (Fixtures/make_layerdiffusion_fixture.py).
    @Test(arguments: datasets)
    func forwardEqualsTheReference(dataset: String) throws {
        let golden = try Fixtures.tensors("layerlogitnorm.golden.safetensors")
        let layers = try #require(golden["\(dataset).layer_energies"])
        let incident = try #require(golden["\(dataset).incident_energies"])
        let expected = try #require(golden["\(dataset).variables"])
        let ours = try Self.variables(dataset).forward(layerEnergies: layers, incidentEnergies: incident)
        #expect(ours.dtype == layers.dtype)
        if layers.dtype == .float64 {
            try expectClose(ours, expected, rtol: 1e-9, atol: 1e-9, dataset)
        } else {
            // Dataset 1: float32 inputs (the reference sums its layers in float32).
            try expectClose(ours, try expected.to(dtype: .float32), rtol: 1e-5, atol: 2e-5, dataset)
        }
    }

    /// Golden values of the reference `ReverseNormCaloChall`: the per-layer sums of the showers it rescales.
    @Test(arguments: datasets)
    func inverseEqualsTheReference(dataset: String) throws {
        let golden = try Fixtures.tensors("layerlogitnorm.golden.safetensors")
        let variables = try #require(golden["\(dataset).inverse_variables"])
        let incident = try #require(golden["\(dataset).incident_energies"]).to(dtype: .float64)
        let expected = try #require(golden["\(dataset).inverse_layer_energies"])
        let ours = try Self.variables(dataset).inverse(variables, incidentEnergies: incident)
        try expectClose(ours, expected, rtol: 1e-8, atol: 1e-9, dataset)
    }

    /// Closed form: an empty shower gives totalE' = −μ_E/s_E and layer' = −μ_L/s_L (the masked logit is 0);
    /// an empty layer of a non-empty shower gives logit(α) = ln(α/(1 − α)).
    @Test func emptyShowersAndLayersFollowTheMaskedArrays() throws {
        let variables = try LayerLogitNormVariables(layerCount: 2, maxDeposit: 2, constants: .ds2)
        let layers = try Tensor([0.0, 0, 0, 30], shape: [2, 2])
        let incident = try Tensor([100.0, 100], shape: [2, 1])
        let out = try variables.forward(layerEnergies: layers, incidentEnergies: incident).toArray(Double.self)
        let c = LayerLogitNormConstants.ds2
        let alpha = LayerLogitNormVariables.logitAlpha
        let logitAlpha = Foundation.log(alpha / (1 - alpha))
        let logitOne = Foundation.log((1 - alpha) / alpha)
        let expected = [
            -c.totalEnergyMean / c.totalEnergyStd, -c.layersMean / c.layersStd, -c.layersMean / c.layersStd,
            (0.15 - c.totalEnergyMean) / c.totalEnergyStd, (logitAlpha - c.layersMean) / c.layersStd,
            (logitOne - c.layersMean) / c.layersStd,
        ]
        for (a, b) in zip(out, expected) { #expect(Swift.abs(a - b) < 1e-9, "\(out) vs \(expected)") }
    }

    /// inverse(forward(E)) = E for showers whose layers all hold energy (float64; α only shifts fractions by
    /// ~1e-6 before the renormalisation, which removes the shift up to α·f terms).
    @Test(arguments: datasets)
    func roundTripRestoresTheLayerEnergies(dataset: String) throws {
        let variables = try Self.variables(dataset)
        let generator = try Generator(seed: 11)
        let fractions = try Tensor.rand([3, variables.layerCount], dtype: .float64, generator: generator) + 0.05
        let incident = try Tensor([1_000.0, 20_000, 500_000], shape: [3, 1])
        let layers = try fractions * (incident / Double(variables.layerCount))
        let back = try variables.inverse(
            try variables.forward(layerEnergies: layers, incidentEnergies: incident), incidentEnergies: incident)
        try expectClose(back, layers, rtol: 1e-5, atol: 0, dataset)
    }

    /// The inverse clamps the reference's tiny negative energies (σ(x) < α) and a negative total at 0.
    @Test func inverseIsNeverNegative() throws {
        let variables = try LayerLogitNormVariables(layerCount: 3, maxDeposit: 2, constants: .identity)
        let v = try Tensor([0.4, -40, 5, 5, -3, 1, 1, 1], shape: [2, 4])
        let out = try variables.inverse(v, incidentEnergies: try Tensor([10.0, 10], shape: [2, 1])).toArray(Double.self)
        #expect(out[0] == 0 && out[1] > 0 && out[2] > 0)
        #expect(out[3...].allSatisfy { $0 == 0 })
        #expect(Swift.abs(out[1] + out[2] - 0.4 * 20) < 1e-4)
    }

    @Test func wrongShapesAreNamed() throws {
        let variables = try LayerLogitNormVariables(layerCount: 3, maxDeposit: 2, constants: .identity)
        let incident = try Tensor.ones([2, 1])
        #expect(throws: ModelError.wrongLayerEnergyShape(input: "layer energies", expected: "[B, 3]", actual: [2, 4])) {
            _ = try variables.forward(layerEnergies: try Tensor.ones([2, 4]), incidentEnergies: incident)
        }
        #expect(throws: ModelError.wrongLayerEnergyShape(input: "incident energies", expected: "[2, 1]", actual: [2])) {
            _ = try variables.forward(layerEnergies: try Tensor.ones([2, 3]), incidentEnergies: try Tensor.ones([2]))
        }
        #expect(throws: ModelError.wrongLayerEnergyShape(input: "variables", expected: "[B, 4]", actual: [2, 3])) {
            _ = try variables.inverse(try Tensor.ones([2, 3]), incidentEnergies: incident)
        }
    }

    @Test func invalidSettingsAreRefused() {
        #expect(throws: ModelError.self) { _ = try LayerLogitNormVariables(layerCount: 0, maxDeposit: 2, constants: .ds2) }
        #expect(throws: ModelError.self) { _ = try LayerLogitNormVariables(layerCount: 3, maxDeposit: 0, constants: .ds2) }
        let zeroStd = LayerLogitNormConstants(totalEnergyMean: 0, totalEnergyStd: 0, layersMean: 0, layersStd: 1)
        #expect(throws: ModelError.self) { _ = try LayerLogitNormVariables(layerCount: 3, maxDeposit: 2, constants: zeroStd) }
    }
}
