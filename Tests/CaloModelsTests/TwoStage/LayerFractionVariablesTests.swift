import CaloModels
import Testing
import Torch

@Suite struct LayerFractionVariablesTests {
    /// [u₀, f] for E = [2, 1, 1], E_inc = 2, M = 2: u₀ = 1, f = [0.5, 0.25, 0.25].
    @Test func closedFormExample() throws {
        let variables = try LayerFractionVariables(layers: 3, maxDeposit: 2)
        let v = try variables.forward(layerEnergies: try Tensor([2.0, 1, 1], shape: [1, 3]), incidentEnergies: try Tensor([2.0], shape: [1, 1]))
        #expect(try v.toArray(Double.self) == [1, 0.5, 0.25, 0.25])
        #expect(variables.count == 4)
    }

    /// forward then inverse gives the layer energies back (empty layers and an empty shower included); any
    /// variables give non-negative layers summing to u₀·M·E_inc.
    @Test func roundTripAndConsistency() throws {
        let variables = try LayerFractionVariables(layers: 4, maxDeposit: 2)
        let energies = try Tensor([5.0, 0, 3, 1,  0, 0, 0, 0,  1, 2, 3, 4], shape: [3, 4])
        let incident = try Tensor([10.0, 8, 30], shape: [3, 1])
        let back = try variables.inverse(try variables.forward(layerEnergies: energies, incidentEnergies: incident), incidentEnergies: incident)
        #expect(try (back - energies).abs().amax().item() < 1e-12)
        let random = try Tensor.rand([16, 5], dtype: .float64, generator: try Generator(seed: 3))
        let layers = try variables.inverse(random, incidentEnergies: try Tensor.full([16, 1], value: 5, dtype: .float64))
        #expect(try layers.amin().item() >= 0)
        let expected = try random.narrowed(dim: 1, start: 0, length: 1) * 10
        #expect(try (layers.sum(dims: [1], keepDim: true) - expected).abs().amax().item() < 1e-12)
    }

    /// Both choices build variables of the right length.
    @Test func choicesBuildTheirVariables() throws {
        #expect(try LayerVariablesChoice.ratios.make(layers: 45, maxDeposit: 2).count == 45)
        #expect(try LayerVariablesChoice.fractions.make(layers: 45, maxDeposit: 2).count == 46)
        #expect(throws: ModelError.self) { try LayerFractionVariables(layers: 0, maxDeposit: 2) }
    }
}
