import Torch
import TorchNN

/// GroupNorm(1) followed by linear attention (reference `PreNorm(dim, LinearAttention(dim))`).
/// Keys `fn.…` (the attention) and `norm.…`.
final class PreNormAttention: Module, UnaryLayer {
    let attention: LinearAttention
    let norm: GroupNorm

    override var keyOverrides: [String: String] { ["attention": "fn"] }

    init(channels: Int, isCylindrical: Bool, generator: Generator) throws {
        attention = try LinearAttention(channels: channels, isCylindrical: isCylindrical, generator: generator)
        norm = try GroupNorm(groups: 1, channels: channels)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try attention(try norm(x)) }
}
