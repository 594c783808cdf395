import CaloData
import Torch
import TorchNN

/// The shape network of the two-stage model: a small transformer over shower patches (``PatchTokenizer``)
/// generating layer-normalised showers, conditioned on the time, the incident energy and the layer energies.
/// The condition c = MLP(time features) + MLP(energy) + MLP(layer variables) modulates every
/// ``ModulatedTransformerBlock`` and the final layer norm; each token also receives Linear(its layers'
/// log energy fractions) on top of its learnt position embedding, so a patch knows its own layer's energy.
public final class ShapeTransformer: Module {
    let tokenizer: PatchTokenizer
    let position: Tensor
    let tokenLayer: Linear
    let time: ConditionMLP
    let energy: ConditionMLP
    let layers: ConditionMLP
    let blocks: [ModulatedTransformerBlock]
    let finalModulation: Linear
    let timeFeatures: SinusoidalTimeEmbedding
    let width: Int

    /// A network for `geometry` with `patch` (nil: one token per layer), `width`, `depth` blocks of
    /// `heads` heads and MLP ratio `mlpRatio`, for `layerFeatures` global layer variables.
    public init(
        geometry: Geometry, patch: [Int]?, width: Int, depth: Int, heads: Int, mlpRatio: Int, layerFeatures: Int,
        patchSkips: Bool = false, timeFrequencies: Int = 16, generator: Generator
    ) throws {
        self.width = width
        timeFeatures = SinusoidalTimeEmbedding(frequencies: timeFrequencies)
        tokenizer = try PatchTokenizer(geometry: geometry, patch: patch, width: width, skips: patchSkips, generator: generator)
        position = try Initialization.normal([tokenizer.tokenCount, width], std: 0.02, generator: generator)
        tokenLayer = try Linear(tokenizer.layersPerToken, width, generator: generator)
        time = try ConditionMLP(inputs: 2 * timeFrequencies, width: width, generator: generator)
        energy = try ConditionMLP(inputs: 1, width: width, generator: generator)
        layers = try ConditionMLP(inputs: layerFeatures, width: width, generator: generator)
        blocks = try (0..<depth).map { _ in try ModulatedTransformerBlock(width: width, heads: heads, mlpRatio: mlpRatio, generator: generator) }
        finalModulation = try Linear(width, 2 * width, generator: generator)
        super.init()
        try zeroInitialise(finalModulation)
    }

    /// The number of tokens a shower is cut into.
    public var tokenCount: Int { tokenizer.tokenCount }

    /// x `[B, V]` at time `[B]`, energy `[B, 1]`, global layer variables `[B, K]` and per-layer log
    /// fractions `[B, N]` → `[B, V]`.
    public func callAsFunction(_ x: Tensor, time t: Tensor, energy e: Tensor, layerVariables: Tensor, layerFractions: Tensor) throws -> Tensor {
        let condition = try time(timeFeatures(t)) + energy(e.reshaped([-1, 1])) + layers(layerVariables)
        var h = try tokenizer.embed(x) + position + tokenLayer(try tokenizer.tokenValues(layerFractions))
        for block in blocks { h = try block(h, condition: condition) }
        let m = try finalModulation(condition.silu()).unsqueezed(1).chunked(2, dim: 2)
        h = try layerNorm(h, normalizedShape: [width], weight: nil, bias: nil, eps: 1e-6) * (m[1] + 1) + m[0]
        return try tokenizer.readout(h, input: x)
    }
}
