import Diffusion
import Testing
import Torch
import _TestSupport

/// Every training objective, by name.
enum ObjectiveCase: String, CaseIterable, Sendable {
    case epsilon, hybrid, edm, vPrediction, scoreMatching, scoreMatchingUndivided, flowMatching, discreteProcess

    func make() throws -> any TrainingObjective {
        switch self {
        case .epsilon: return EpsilonLoss(schedule: try DDPMSchedule.cosine())
        case .hybrid: return HybridLoss(schedule: try DDPMSchedule.cosine())
        case .edm: return EDMLoss()
        case .vPrediction: return VPredictionLoss()
        case .scoreMatching: return ScoreMatchingLoss(process: try SubVariancePreservingProcess())
        case .scoreMatchingUndivided:
            return ScoreMatchingLoss(process: try VarianceExplodingProcess(), dividesByMarginalStd: false)
        case .flowMatching: return FlowMatchingLoss()
        case .discreteProcess:
            let schedule = try DDPMSchedule.linear()
            return ProcessObjective(
                process: try DiscreteVarianceProcess(schedule: schedule), parametrisation: VParametrisation(),
                timeDistribution: try UniformIndexDistribution(stepCount: schedule.stepCount), timeInput: .marginalStd)
        }
    }
}

@Suite struct TrainingObjectiveTests {
    /// Without weights the protocol entry point reproduces the existing losses bit for bit, draws included.
    @Test func existingLossesAreUnchangedWithoutWeights() throws {
        let gaussian = GaussianDenoiser(mean: 0.2, std: 0.5)
        let clean = try Tensor.randn([8, 5], dtype: .float64, generator: Generator(seed: 1)) * 0.5
        let condition = try unconditioned(batch: 8)
        let network = gaussian.epsilonNetwork
        let schedule = try DDPMSchedule.cosine()
        let epsilon = EpsilonLoss(schedule: schedule)
        #expect(
            try epsilon.loss(network, clean: clean, condition: condition, generator: Generator(seed: 9)).item()
                == epsilon(network, clean: clean, condition: condition, generator: Generator(seed: 9)).item())
        let hybrid = HybridLoss(schedule: schedule)
        #expect(
            try hybrid.loss(network, clean: clean, condition: condition, generator: Generator(seed: 9)).item()
                == hybrid(network, clean: clean, condition: condition, generator: Generator(seed: 9)).item())
        let edm = EDMLoss()
        let preconditioner = try EDMPreconditioner(sigmaData: 0.5, network: network)
        #expect(
            try edm.loss(network, clean: clean, condition: condition, generator: Generator(seed: 9)).item()
                == edm(preconditioner, clean: clean, condition: condition, generator: Generator(seed: 9)).item())
    }

    /// Padding each sample with extra points of weight 0 changes neither the loss nor the gradients of a
    /// point-wise network (draws pinned), and weights of 1 give the unweighted loss.
    @Test(arguments: ObjectiveCase.allCases) func zeroWeightPaddingChangesNothing(_ kind: ObjectiveCase) throws {
        let objective = try kind.make()
        let generator = try Generator(seed: 21)
        let clean = try Tensor.randn([2, 3, 2], dtype: .float64, generator: generator) * 0.5
        let padded = try Tensor.cat([clean, Tensor.randn([2, 2, 2], dtype: .float64, generator: generator) * 5], dim: 1)
        let mask = try Tensor([1.0, 1, 1, 0, 0, 1, 1, 1, 0, 0], shape: [2, 5])
        let draw = try objective.draw(for: clean, generator: generator)
        let paddedNoise = try Tensor.cat([draw.noise, Tensor.randn([2, 2, 2], dtype: .float64, generator: generator)], dim: 1)
        let a = try Tensor([0.7], shape: []).to(dtype: .float64).requiringGrad()
        let b = try Tensor([0.2], shape: []).to(dtype: .float64).requiringGrad()
        let network: DiffusionNetwork = { x, level, _ in try a * x + b * level.appendingUnitAxes(toRank: x.ndim) }
        let condition = try unconditioned(batch: 2)

        func lossAndGradients(_ x: Tensor, weights: Tensor?, noise: Tensor) throws -> [Double] {
            try a.zeroGrad()
            try b.zeroGrad()
            let loss = try objective.loss(network, clean: x, condition: condition, weights: weights, draw: TrainingDraw(levels: draw.levels, noise: noise))
            try loss.backward()
            return [try loss.item(), try a.grad?.item() ?? .nan, try b.grad?.item() ?? .nan]
        }
        let unpadded = try lossAndGradients(clean, weights: nil, noise: draw.noise)
        let ones = try lossAndGradients(clean, weights: Tensor.ones([2, 3], dtype: .float64), noise: draw.noise)
        let masked = try lossAndGradients(padded, weights: mask, noise: paddedNoise)
        for (reference, other) in [(unpadded, ones), (unpadded, masked)] {
            for (x, y) in zip(reference, other) {
                #expect(abs(x - y) <= 1e-12 * max(abs(x), 1e-12), "\(kind): \(reference) vs \(other)")
            }
        }
    }

    /// Weights that do not broadcast to the clean batch are rejected with both shapes named.
    @Test func rejectsWeightsOfTheWrongShape() throws {
        let clean = try Tensor.zeros([2, 3], dtype: .float64)
        let objective = FlowMatchingLoss()
        let error = #expect(throws: DiffusionError.self) {
            try objective.loss(
                { x, _, _ in x }, clean: clean, condition: unconditioned(batch: 2), weights: Tensor.ones([2, 4]),
                generator: Generator(seed: 0))
        }
        #expect(error == .weightShapeMismatch(weightShape: [2, 4], cleanShape: [2, 3]))
        #expect(error?.description.contains("[2, 4]") == true)
    }
}
