import Foundation
import Torch
import TorchNN

/// Linear attention over the flattened positions of a `[batch, channels, Z, Φ, R]` tensor (reference
/// `LinearAttention`, spec/models.md §A.10).
///
/// q, k, v come from one bias-free 1×1×1 convolution to 3·heads·headSize channels. With n = Z·Φ·R positions,
/// q is soft-maxed over its feature axis and scaled by headSize^−½, k is soft-maxed over the positions,
/// context = k·vᵀ (`[headSize, headSize]` per head) and the output is contextᵀ·q, reshaped back and mapped
/// by a 1×1×1 convolution to the input channels followed by GroupNorm(1). Keys `to_qkv.…`, `to_out.0.…`
/// (the convolution), `to_out.1.…` (the GroupNorm).
final class LinearAttention: Module, UnaryLayer {
    let toQKV: CylindricalConvolution
    let toOut: Sequential
    let heads: Int
    let headSize: Int

    override var keyOverrides: [String: String] { ["toQKV": "to_qkv", "toOut": "to_out"] }

    init(channels: Int, heads: Int = 1, headSize: Int = 32, isCylindrical: Bool, generator: Generator) throws {
        self.heads = heads
        self.headSize = headSize
        let hidden = heads * headSize
        toQKV = try CylindricalConvolution(
            channels, 3 * hidden, kernelSize: [1], bias: false, isCylindrical: isCylindrical, generator: generator)
        toOut = Sequential([
            try CylindricalConvolution(hidden, channels, kernelSize: [1], isCylindrical: isCylindrical, generator: generator),
            try GroupNorm(groups: 1, channels: channels),
        ])
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let shape = x.shape
        let batch = shape[0]
        let spatial = Array(shape[2...])
        let positions = spatial.reduce(1, *)
        let qkv = try toQKV(x).chunked(3, dim: 1)
        // "b (h c) x y z -> b h c (x y z)"
        func split(_ t: Tensor) throws -> Tensor { try t.reshaped([batch, heads, headSize, positions]) }
        let qSoftmax = try split(qkv[0]).softmax(dim: -2)
        let q = try qSoftmax * (1 / Double(headSize).squareRoot())
        let k = try split(qkv[1]).softmax(dim: -1)
        let v = try split(qkv[2])
        // context[d, e] = Σ_n k[d, n] v[e, n]; out[e, n] = Σ_d context[d, e] q[d, n]
        let context = try k.matmul(try v.transposed(-1, -2))
        let out = try context.transposed(-1, -2).matmul(q)
        return try toOut(try out.reshaped([batch, heads * headSize] + spatial))
    }
}
