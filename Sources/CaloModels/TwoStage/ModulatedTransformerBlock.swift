import Torch
import TorchNN

/// A transformer block with adaLN-Zero modulation (DiT, Peebles & Xie 2023; CaloDREAM's shape ViT,
/// spec/models.md §D): from the condition c, (b₁, a₁, γ₁, b₂, a₂, γ₂) = Linear(SiLU(c)), then
/// x ← x + γ₁·MHSA(LN(x)·(1 + a₁) + b₁) and x ← x + γ₂·MLP(LN(x)·(1 + a₂) + b₂), with non-affine
/// layer norms and the modulation starting at zero (each block starts as the identity).
final class ModulatedTransformerBlock: Module {
    let modulation: Linear
    let qkv: Linear
    let projection: Linear
    let hidden: Linear
    let output: Linear
    let width: Int
    let heads: Int

    init(width: Int, heads: Int, mlpRatio: Int, generator: Generator) throws {
        guard heads >= 1, width % heads == 0 else {
            throw ModelError.invalidConfig("the width \(width) must be a multiple of the number of heads \(heads)")
        }
        self.width = width
        self.heads = heads
        modulation = try Linear(width, 6 * width, generator: generator)
        qkv = try Linear(width, 3 * width, generator: generator)
        projection = try Linear(width, width, generator: generator)
        hidden = try Linear(width, mlpRatio * width, generator: generator)
        output = try Linear(mlpRatio * width, width, generator: generator)
        super.init()
        try zeroInitialise(modulation)
    }

    /// x `[B, T, W]`, c `[B, W]` → `[B, T, W]`.
    func callAsFunction(_ x: Tensor, condition c: Tensor) throws -> Tensor {
        let (batch, tokens) = (x.dim(0), x.dim(1))
        let m = try modulation(c.silu()).unsqueezed(1).chunked(6, dim: 2)
        func modulated(_ h: Tensor, shift: Tensor, scale: Tensor) throws -> Tensor {
            try layerNorm(h, normalizedShape: [width], weight: nil, bias: nil, eps: 1e-6) * (scale + 1) + shift
        }
        let q = try qkv(try modulated(x, shift: m[0], scale: m[1]))
            .reshaped([batch, tokens, 3, heads, width / heads]).permuted([2, 0, 3, 1, 4])
        let attended = try scaledDotProductAttention(q.selecting(dim: 0, index: 0), q.selecting(dim: 0, index: 1), q.selecting(dim: 0, index: 2))
            .permuted([0, 2, 1, 3]).reshaped([batch, tokens, width])
        let h = try x + m[2] * projection(attended)
        let y = try output(try hidden(try modulated(h, shift: m[3], scale: m[4])).gelu(approximateTanh: true))
        return try h + m[5] * y
    }
}
