import Testing
import Torch
import TorchNN

@testable import CaloModels

@Suite struct LayerDiffusionBlockTests {
    @Test func keysAreTheReferenceResDense() throws {
        let block = try LayerDiffusionBlock(width: 4, conditionSize: 8, generator: Generator(seed: 1))
        #expect(block.stateDict().mapValues(\.shape) == [
            "embeder.1.weight": [4, 8], "embeder.1.bias": [4], "dense1.0.weight": [4, 4], "dense1.0.bias": [4],
            "dense2.0.weight": [4, 4], "dense2.0.bias": [4],
        ])
    }

    /// Closed form: with W₂ = 0 and b₂ = 0 the block is the identity (GELU(0) = 0 on the residual branch); with
    /// W₂ = I, b₁ = b_c = b₂ = 0, W₁ = 0, W_c = 0 it is also x. With W₂ = 0 and b₂ = b: out = x + GELU(b).
    @Test func residualBranchAddsToTheInput() throws {
        let block = try LayerDiffusionBlock(width: 3, conditionSize: 4, generator: Generator(seed: 2))
        let bias = try Tensor([0.5, -1.0, 2.0])
        try withNoGrad {
            try block.dense2.weight.copy_(try block.dense2.weight.zerosLike())
            try #require(block.dense2.bias).copy_(bias)
        }
        let generator = try Generator(seed: 3)
        let x = try Tensor.randn([2, 3], generator: generator)
        let condition = try Tensor.randn([2, 4], generator: generator)
        let out = try block(x, condition: condition)
        try expectClose(out, try x + bias.gelu(), atol: 1e-6)
    }
}
