import CaloModels
import Diffusion
import Foundation
import Testing
import Torch
import TorchNN

@Suite struct EnergyFlowNetworkTests {
    /// Dirichlet(α) layer fractions (Gamma(k) draws as sums of k exponentials) times a log-normal total.
    func draw(_ count: Int, alphas: [Int], generator: Generator) throws -> Tensor {
        let gammas = try alphas.map { k in
            try (0..<k).map { _ in try -(Tensor.rand([count, 1], dtype: .float64, generator: generator).clamped(min: 1e-12).log()) }
                .reduce(try Tensor.zeros([count, 1], dtype: .float64)) { try $0 + $1 }
        }
        let g = try Tensor.cat(gammas, dim: 1)
        let fractions = try g / g.sum(dims: [1], keepDim: true)
        let total = try (Tensor.randn([count, 1], dtype: .float64, generator: generator) * 0.1 + Foundation.log(9000.0)).exp()
        return try fractions * total
    }

    /// The flow-matching energy model (u-variables, logit standardisation, the residual network, midpoint
    /// sampling) recovers the moments of a known distribution after a short training: the mean layer
    /// fractions α_l/Σα and the mean and spread of log E_tot.
    @Test func recoversTheMomentsOfAKnownDistribution() throws {
        let alphas = [2, 5, 3, 1, 1]
        let generator = try Generator(seed: 21)
        let variables = try LayerRatioVariables(layers: alphas.count, maxDeposit: 2)
        let incident = 10_000.0
        let scaling = try LogitStandardiser(features: alphas.count)
        let fitData = try draw(4096, alphas: alphas, generator: generator)
        try scaling.fit(try variables.forward(layerEnergies: fitData, incidentEnergies: try Tensor.full([4096, 1], value: incident, dtype: .float64)))
        let network = try EnergyFlowNetwork(variables: alphas.count, width: 64, depth: 2, generator: generator)
        let optimizer = Adam(parameters: network.parameters(), learningRate: 3e-3)
        let objective = FlowMatchingLoss(timeInput: .time)
        let energyInput = try Tensor.full([512, 1], value: 0.5)
        let closure: DiffusionNetwork = { x, t, c in try network(x, time: t, energy: c.incidentEnergy) }
        for _ in 0..<600 {
            let batch = try draw(512, alphas: alphas, generator: generator)
            let clean = try scaling.forward(try variables.forward(
                layerEnergies: batch, incidentEnergies: try Tensor.full([512, 1], value: incident, dtype: .float64)).to(dtype: .float32))
            try optimizer.zeroGrad()
            let loss = try objective.loss(closure, clean: clean, condition: DiffusionCondition(incidentEnergy: energyInput), generator: generator)
            try loss.backward()
            try optimizer.step()
        }
        let count = 4096
        let denoiser = ProcessDenoiser(process: RectifiedFlowProcess.standard, parametrisation: VelocityParametrisation(), network: closure)
        let noise = try Tensor.randn([count, alphas.count], generator: generator)
        let z = try withNoGrad {
            try SamplerSettings("midpoint", steps: 10).makeSampler().sample(
                denoiser, noise: noise, sigmas: try RectifiedFlowProcess.standard.samplingSigmas(stepCount: 10),
                condition: DiffusionCondition(incidentEnergy: try Tensor.full([count, 1], value: 0.5)), generator: generator, onStep: nil)
        }
        let energies = try variables.inverse(
            try scaling.inverse(z).to(dtype: .float64), incidentEnergies: try Tensor.full([count, 1], value: incident, dtype: .float64))
        let total = try energies.sum(dims: [1], keepDim: true)
        let fractions = try (energies / total).mean(dims: [0]).toArray(Double.self)
        let expected = alphas.map { Double($0) / Double(alphas.reduce(0, +)) }
        for (f, e) in zip(fractions, expected) { #expect(Swift.abs(f - e) < 0.02, "fractions \(fractions) vs \(expected)") }
        let logTotal = try total.log()
        #expect(Swift.abs(try logTotal.mean().item() - Foundation.log(9000.0)) < 0.02)
        #expect(Swift.abs(try logTotal.standardDeviation().item() - 0.1) < 0.02)
    }

    /// The output layer starts at zero, so an untrained network predicts zero velocity.
    @Test func startsAtZero() throws {
        let network = try EnergyFlowNetwork(variables: 7, width: 16, depth: 2, generator: try Generator(seed: 1))
        let out = try network(try Tensor.randn([3, 7], generator: try Generator(seed: 2)), time: try Tensor.full([3], value: 0.4), energy: try Tensor.zeros([3, 1]))
        #expect(out.shape == [3, 7])
        #expect(try out.abs().amax().item() == 0)
    }
}
