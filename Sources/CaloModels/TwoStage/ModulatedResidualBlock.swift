import Torch
import TorchNN

/// h + Linear(SiLU(Linear(LN(h)·(1 + a) + b))) with (a, b) = Linear(SiLU(c)): a residual MLP block whose
/// normalisation is modulated by the condition c (FiLM / adaLN); the second linear starts at zero, so the
/// block starts as the identity.
final class ModulatedResidualBlock: Module {
    let modulation: Linear
    let hidden: Linear
    let output: Linear
    let width: Int

    init(width: Int, conditionWidth: Int, expansion: Int = 2, generator: Generator) throws {
        self.width = width
        modulation = try Linear(conditionWidth, 2 * width, generator: generator)
        hidden = try Linear(width, expansion * width, generator: generator)
        output = try Linear(expansion * width, width, generator: generator)
        super.init()
        try zeroInitialise(output)
    }

    /// h `[B, W]`, c `[B, C]` → `[B, W]`.
    func callAsFunction(_ h: Tensor, condition c: Tensor) throws -> Tensor {
        let ab = try modulation(c.silu()).chunked(2, dim: 1)
        let normalised = try layerNorm(h, normalizedShape: [width], weight: nil, bias: nil, eps: 1e-6)
        let y = try hidden(normalised * (ab[0] + 1) + ab[1]).silu()
        return try h + output(y)
    }
}
