import Torch

/// CaloScore's continuous denoising score matching (spec §B.1.3): t ~ U(1e-5, 1), x_t = s·x₀ + std·z,
/// score = NN/std, loss = mean of λ·(score + z/std)² with λ = std² = mean of (NN + z)²; the network sees t.
///
/// With `dividesByMarginalStd` false the network output is the score itself and λ = std² is applied explicitly
/// (`MarginalVarianceLossWeighting`); the two agree up to rounding.
public struct ScoreMatchingLoss: TrainingObjective {
    /// The underlying process objective.
    public let objective: ProcessObjective

    /// Score matching under `process` (VE, VP or sub-VP), t ~ U(`timeRange`).
    public init(
        process: any DiffusionProcess, timeRange: ClosedRange<Double> = 1e-5...1, dividesByMarginalStd: Bool = true,
        timeInput: NetworkTimeInput = .time, networkDType: DType? = nil
    ) {
        let weighting: any LossWeighting = dividesByMarginalStd ? UnitLossWeighting() : MarginalVarianceLossWeighting()
        objective = ProcessObjective(
            process: process, parametrisation: ScoreParametrisation(dividesByMarginalStd: dividesByMarginalStd),
            timeDistribution: UniformTimeDistribution(range: timeRange), weighting: weighting, timeInput: timeInput,
            networkDType: networkDType)
    }

    /// t `[batch]`, then z.
    public func draw(for clean: Tensor, generator: Generator) throws -> TrainingDraw {
        try objective.draw(for: clean, generator: generator)
    }

    /// Σ w·λ·(F − target)²/Σ w at times `draw.levels`.
    public func loss(
        _ network: DiffusionNetwork, clean: Tensor, condition: DiffusionCondition, weights: Tensor?, draw: TrainingDraw
    ) throws -> Tensor {
        try objective.loss(network, clean: clean, condition: condition, weights: weights, draw: draw)
    }
}
