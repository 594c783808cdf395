import Torch
import TorchNN

/// One residual dense block of the newest CaloDiffusion's layer model (reference `ResDense`, spec/models.md
/// §A.15): h = GELU(W₁x + b₁) + W_c·GELU(cond) + b_c, out = GELU(W₂h + b₂) + x.
/// Keys `embeder.1.…`, `dense1.0.…`, `dense2.0.…` (the reference's `nn.Sequential` indices; its spelling).
final class LayerDiffusionBlock: Module {
    let conditionProjection: Linear
    let dense1: Linear
    let dense2: Linear

    override var keyOverrides: [String: String] {
        ["conditionProjection": "embeder.1", "dense1": "dense1.0", "dense2": "dense2.0"]
    }

    init(width: Int, conditionSize: Int, generator: Generator) throws {
        conditionProjection = try Linear(conditionSize, width, generator: generator)
        dense1 = try Linear(width, width, generator: generator)
        dense2 = try Linear(width, width, generator: generator)
        super.init()
    }

    /// `x` `[B, width]`, `condition` `[B, conditionSize]` → `[B, width]`.
    func callAsFunction(_ x: Tensor, condition: Tensor) throws -> Tensor {
        let h1 = try dense1(x).gelu()
        let embedded = try conditionProjection(condition.gelu())
        let h2 = try h1 + embedded
        let h3 = try dense2(h2).gelu()
        return try h3 + x
    }
}
