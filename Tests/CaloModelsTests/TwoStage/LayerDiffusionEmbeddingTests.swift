import Testing
import Torch
import TorchNN

@testable import CaloModels

@Suite struct LayerDiffusionEmbeddingTests {
    /// Keys follow the reference `nn.Sequential` indices and the hidden width is c/4 whatever the inputs.
    @Test func keysAndWidthsFollowTheReference() throws {
        let time = try LayerDiffusionEmbedding(conditionSize: 128, inputCount: 1, firstKey: 1, generator: Generator(seed: 1))
        let condition = try LayerDiffusionEmbedding(conditionSize: 128, inputCount: 3, firstKey: 0, generator: Generator(seed: 1))
        let timeKeys = time.stateDict().mapValues(\.shape)
        #expect(timeKeys == ["1.weight": [32, 1], "1.bias": [32], "3.weight": [64, 32], "3.bias": [64], "5.weight": [64, 64], "5.bias": [64]])
        let conditionKeys = condition.stateDict().mapValues(\.shape)
        #expect(conditionKeys == ["0.weight": [32, 3], "0.bias": [32], "2.weight": [64, 32], "2.bias": [64], "4.weight": [64, 64], "4.bias": [64]])
    }

    /// Closed form with zero weights and biases b: output = b₃ (the GELUs see constants).
    @Test func zeroWeightsGiveTheLastBias() throws {
        let embedding = try LayerDiffusionEmbedding(conditionSize: 8, inputCount: 1, firstKey: 0, generator: Generator(seed: 2))
        try withNoGrad {
            for linear in [embedding.input, embedding.hidden, embedding.output] { try linear.weight.copy_(try linear.weight.zerosLike()) }
        }
        let out = try embedding(try Tensor([Float(0.3), -2], shape: [2, 1]))
        let bias = try #require(embedding.output.bias)
        try expectClose(out, try bias.unsqueezed(0).expanded([2, 4]), atol: 1e-7)
    }
}
