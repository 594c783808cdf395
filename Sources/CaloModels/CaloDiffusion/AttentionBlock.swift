import Torch
import TorchNN

/// The residual pre-norm linear attention of the U-Net (reference `Residual(PreNorm(dim, LinearAttention(dim)))`,
/// spec/models.md §A.10): out = x + LinearAttention(GroupNorm₁(x)). Keys `fn.fn.…`, `fn.norm.…`.
final class AttentionBlock: Module, UnaryLayer {
    let preNorm: PreNormAttention

    override var keyOverrides: [String: String] { ["preNorm": "fn"] }

    init(channels: Int, isCylindrical: Bool, generator: Generator) throws {
        preNorm = try PreNormAttention(channels: channels, isCylindrical: isCylindrical, generator: generator)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let attended = try preNorm(x)
        return try attended + x
    }
}
