import Testing
import Torch
import TorchNN

@testable import CaloModels

@Suite struct LinearAttentionTests {
    /// The attention equals the closed form of spec/models.md §A.10 written out with explicit sums.
    @Test func matchesTheClosedForm() throws {
        let generator = try Generator(seed: 21)
        let attention = try LinearAttention(channels: 8, isCylindrical: true, generator: generator)
        let x = try Tensor.randn([2, 8, 3, 4, 2], generator: generator)
        let actual = try withNoGrad { try attention(x) }

        // qkv = W x per position (1×1×1 convolution without bias).
        let w = try attention.toQKV.conv.weight.reshaped([96, 8])
        let qkv = try einsum("oc,bcn->bon", w, try x.reshaped([2, 8, 24]))
        let parts = try qkv.chunked(3, dim: 1)
        let q = try parts[0].softmax(dim: 1) * (1 / 32.0.squareRoot())  // over the 32 features
        let k = try parts[1].softmax(dim: 2)  // over the 24 positions
        let v = parts[2]
        let context = try einsum("bdn,ben->bde", k, v)
        let hidden = try einsum("bde,bdn->ben", context, q).reshaped([2, 32, 3, 4, 2])
        let expected = try withNoGrad { try attention.toOut(hidden) }
        try expectClose(actual, expected, atol: 1e-6)
        #expect(
            Set(attention.stateDict().keys) == [
                "to_qkv.conv.weight", "to_out.0.conv.weight", "to_out.0.conv.bias", "to_out.1.weight", "to_out.1.bias",
            ])
    }
}
