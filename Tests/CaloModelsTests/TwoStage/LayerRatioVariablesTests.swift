import CaloModels
import Testing
import Torch

@Suite struct LayerRatioVariablesTests {
    /// u for a hand-computed shower: E = [2, 1, 1], E_inc = 2, M = 2 → u = [1, 2/4, 1/2].
    @Test func closedFormExample() throws {
        let variables = try LayerRatioVariables(layers: 3, maxDeposit: 2)
        let u = try variables.forward(layerEnergies: try Tensor([2.0, 1, 1], shape: [1, 3]), incidentEnergies: try Tensor([2.0], shape: [1, 1]))
        #expect(try u.toArray(Double.self) == [1, 0.5, 0.5])
    }

    /// forward then inverse gives the layer energies back, empty layers (also trailing ones) included.
    @Test func roundTripKeepsLayerEnergies() throws {
        let variables = try LayerRatioVariables(layers: 6, maxDeposit: 2)
        let energies = try Tensor(
            [5.0, 0, 3, 1, 0, 0,  0, 0, 0, 0, 0, 7,  1, 2, 3, 4, 5, 6,  0, 0, 0, 0, 0, 0], shape: [4, 6])
        let incident = try Tensor([10.0, 8, 30, 5], shape: [4, 1])
        let back = try variables.inverse(try variables.forward(layerEnergies: energies, incidentEnergies: incident), incidentEnergies: incident)
        let difference = try (back - energies).abs().amax().item()
        #expect(difference < 1e-12)
    }

    /// Any u in [0, 1]ᴺ gives non-negative layer energies summing exactly to u₀·M·E_inc.
    @Test func inverseOfAnyVariablesIsConsistent() throws {
        let variables = try LayerRatioVariables(layers: 45, maxDeposit: 2)
        let u = try Tensor.rand([64, 45], dtype: .float64, generator: try Generator(seed: 4))
        let incident = try Tensor.full([64, 1], value: 3, dtype: .float64)
        let energies = try variables.inverse(u, incidentEnergies: incident)
        #expect(try energies.amin().item() >= 0)
        let sums = try energies.sum(dims: [1], keepDim: true)
        let expected = try u.narrowed(dim: 1, start: 0, length: 1) * incident * 2
        #expect(try (sums - expected).abs().amax().item() < 1e-12)
    }

    @Test func invalidSettingsAreRefused() {
        #expect(throws: ModelError.self) { try LayerRatioVariables(layers: 0, maxDeposit: 2) }
        #expect(throws: ModelError.self) { try LayerRatioVariables(layers: 3, maxDeposit: 0) }
    }
}
