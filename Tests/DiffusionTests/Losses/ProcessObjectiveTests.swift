import Diffusion
import Testing
import Torch
import _TestSupport

@Suite struct ProcessObjectiveTests {
    /// The exact network reaches the irreducible loss λ·Var(target | x_t): for target a·x₀ + b·n with
    /// x₀ ~ N(μ, s²) and x_t = m·x₀ + std·n, Var = a²s² + b² − (a·m·s² + b·std)²/(m²s² + std²).
    @Test(arguments: [
        (ObjectiveCase.vPrediction, 0.4), (.scoreMatching, 0.3), (.scoreMatchingUndivided, 0.5), (.flowMatching, 0.6),
    ])
    func exactNetworkReachesTheIrreducibleLoss(_ kind: ObjectiveCase, _ t: Double) throws {
        let objective: ProcessObjective
        switch try kind.make() {
        case let loss as VPredictionLoss: objective = loss.objective
        case let loss as ScoreMatchingLoss: objective = loss.objective
        case let loss as FlowMatchingLoss: objective = loss.objective
        default: Issue.record("not a process objective: \(kind)"); return
        }
        let gaussian = GaussianDenoiser(mean: 0.3, std: 0.5)
        let (mu, s2) = (0.3, 0.25)
        let process = objective.process
        let (m, std) = (process.scale(at: t), process.marginalStd(at: t))
        let (a, b, lambda): (Double, Double, Double)
        switch kind {
        case .vPrediction: (a, b, lambda) = (-std, m, 1)
        case .scoreMatching: (a, b, lambda) = (0, -1, 1)
        case .scoreMatchingUndivided: (a, b, lambda) = (0, -1 / std, std * std)
        default: (a, b, lambda) = (process.scaleDerivative(at: t), process.marginalStdDerivative(at: t), 1)
        }
        let variance = a * a * s2 + b * b - (a * m * s2 + b * std) * (a * m * s2 + b * std) / (m * m * s2 + std * std)
        let expected = lambda * variance

        let count = 100_000
        let generator = try Generator(seed: 77)
        let clean = try Tensor.randn([count, 1], dtype: .float64, generator: generator) * 0.5 + mu
        let draw = TrainingDraw(
            levels: try Tensor.full([count], value: t, dtype: .float64),
            noise: try Tensor.randn([count, 1], dtype: .float64, generator: generator))
        let network = exactNetwork(gaussian, process: process, parametrisation: objective.parametrisation)
        let loss = try objective.loss(network, clean: clean, condition: unconditioned(batch: count), weights: nil, draw: draw).item()
        // Each element is λ·Var·χ²₁ (variance 2·(λ·Var)²).
        let standardError = expected * (2 / Double(count)).squareRoot()
        #expect(abs(loss - expected) < 4 * standardError, "\(kind): loss \(loss), expected \(expected)")
    }
}
