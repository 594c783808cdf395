import Torch
import TorchNN

/// The network of the flow-matching layer-energy model: a residual MLP on the K layer variables,
/// conditioned on the time (sinusoidal features → ``ConditionMLP``) and the incident energy
/// (``ConditionMLP``), summed into one condition that modulates every ``ModulatedResidualBlock``.
/// The output layer starts at zero.
public final class EnergyFlowNetwork: Module, LayerEnergyNetwork {
    let input: Linear
    let time: ConditionMLP
    let energy: ConditionMLP
    let blocks: [ModulatedResidualBlock]
    let output: Linear
    let timeFeatures: SinusoidalTimeEmbedding

    /// A network for `variables` inputs of `width` with `depth` residual blocks.
    public init(variables: Int, width: Int, depth: Int, timeFrequencies: Int = 16, generator: Generator) throws {
        timeFeatures = SinusoidalTimeEmbedding(frequencies: timeFrequencies)
        input = try Linear(variables, width, generator: generator)
        time = try ConditionMLP(inputs: 2 * timeFrequencies, width: width, generator: generator)
        energy = try ConditionMLP(inputs: 1, width: width, generator: generator)
        blocks = try (0..<depth).map { _ in try ModulatedResidualBlock(width: width, conditionWidth: width, generator: generator) }
        output = try Linear(width, variables, generator: generator)
        super.init()
        try zeroInitialise(output)
    }

    /// x `[B, K]`, time `[B]`, energy `[B, 1]` → `[B, K]`.
    public func callAsFunction(_ x: Tensor, time t: Tensor, energy e: Tensor) throws -> Tensor {
        let condition = try time(timeFeatures(t)) + energy(e.reshaped([-1, 1]))
        var h = try input(x)
        for block in blocks { h = try block(h, condition: condition) }
        return try output(h)
    }
}
