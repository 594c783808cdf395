import Torch

/// Conditional flow matching (Lipman et al. 2023; rectified flow, Liu et al. 2022): t ~ U(0, 1),
/// x_t = (1 − t)·x₀ + t·n, target velocity n − x₀, loss = plain MSE; the network sees t.
public struct FlowMatchingLoss: TrainingObjective {
    /// The underlying process objective.
    public let objective: ProcessObjective

    /// Flow matching with t ~ U(`timeRange`) under `process` (default: rectified flow).
    public init(
        process: any DiffusionProcess = RectifiedFlowProcess.standard, timeRange: ClosedRange<Double> = 0...1,
        timeInput: NetworkTimeInput = .time, networkDType: DType? = nil
    ) {
        objective = ProcessObjective(
            process: process, parametrisation: VelocityParametrisation(),
            timeDistribution: UniformTimeDistribution(range: timeRange), timeInput: timeInput, networkDType: networkDType)
    }

    /// t `[batch]`, then n.
    public func draw(for clean: Tensor, generator: Generator) throws -> TrainingDraw {
        try objective.draw(for: clean, generator: generator)
    }

    /// Σ w·(F − (n − x₀))²/Σ w at times `draw.levels`.
    public func loss(
        _ network: DiffusionNetwork, clean: Tensor, condition: DiffusionCondition, weights: Tensor?, draw: TrainingDraw
    ) throws -> Tensor {
        try objective.loss(network, clean: clean, condition: condition, weights: weights, draw: draw)
    }
}
