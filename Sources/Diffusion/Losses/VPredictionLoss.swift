import Torch

/// CaloScore v2's objective (spec §B.2.2): t ~ U(0, 1), x_t = α_t·x₀ + σ_t·n under the cosine log-SNR
/// process, target v = α_t·n − σ_t·x₀, loss = plain MSE (λ = 1); the network sees t.
public struct VPredictionLoss: TrainingObjective {
    /// The underlying process objective.
    public let objective: ProcessObjective

    /// v-prediction under `process` (default: CaloScore v2's cosine schedule), t ~ U(`timeRange`).
    public init(
        process: any DiffusionProcess = CosineProcess.caloScoreV2, timeRange: ClosedRange<Double> = 0...1,
        timeInput: NetworkTimeInput = .time, networkDType: DType? = nil
    ) {
        objective = ProcessObjective(
            process: process, parametrisation: VParametrisation(), timeDistribution: UniformTimeDistribution(range: timeRange),
            timeInput: timeInput, networkDType: networkDType)
    }

    /// t `[batch]`, then n.
    public func draw(for clean: Tensor, generator: Generator) throws -> TrainingDraw {
        try objective.draw(for: clean, generator: generator)
    }

    /// mean(w·(F − v)²)/mean(w) at times `draw.levels`.
    public func loss(
        _ network: DiffusionNetwork, clean: Tensor, condition: DiffusionCondition, weights: Tensor?, draw: TrainingDraw
    ) throws -> Tensor {
        try objective.loss(network, clean: clean, condition: condition, weights: weights, draw: draw)
    }
}
