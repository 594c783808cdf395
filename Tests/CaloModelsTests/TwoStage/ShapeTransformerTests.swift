import CaloData
@testable import CaloModels
import Testing
import Torch
import TorchNN
import Foundation

@Suite struct ShapeTransformerTests {
    /// Sets every zero-initialised layer to random values so the network is no longer trivial.
    func randomise(_ module: Module, seed: UInt64) throws {
        let generator = try Generator(seed: seed)
        try withNoGrad {
            for parameter in module.parameters() { try parameter.copy_(try Tensor.randn(parameter.shape, generator: generator) * 0.2) }
        }
    }

    /// A fresh network outputs zeros (adaLN-Zero and zero read-outs), of the shower's shape.
    @Test func startsAtZero() throws {
        let network = try ShapeTransformer(
            geometry: .ds2, patch: [3, 16, 1], width: 16, depth: 2, heads: 2, mlpRatio: 2, layerFeatures: 45, generator: try Generator(seed: 1))
        let out = try network(
            try Tensor.randn([2, 6480], generator: try Generator(seed: 2)), time: try Tensor.full([2], value: 0.3),
            energy: try Tensor.zeros([2, 1]), layerVariables: try Tensor.zeros([2, 45]), layerFractions: try Tensor.zeros([2, 45]))
        #expect(out.shape == [2, 6480])
        #expect(try out.abs().amax().item() == 0)
    }

    /// A transformer block is equivariant under permutations of the tokens, and starts as the identity.
    @Test func blockIsPermutationEquivariantAndStartsAsIdentity() throws {
        let block = try ModulatedTransformerBlock(width: 8, heads: 2, mlpRatio: 2, generator: try Generator(seed: 3))
        let x = try Tensor.randn([2, 5, 8], generator: try Generator(seed: 4))
        let c = try Tensor.randn([2, 8], generator: try Generator(seed: 5))
        #expect(try (block(x, condition: c) - x).abs().amax().item() == 0)
        try randomise(block, seed: 6)
        let permutation = try Tensor([Int64(3), 0, 4, 1, 2])
        let permutedFirst = try block(x.indexSelect(dim: 1, index: permutation), condition: c)
        let permutedAfter = try block(x, condition: c).indexSelect(dim: 1, index: permutation)
        #expect(try (permutedFirst - permutedAfter).abs().amax().item() < 1e-5)
    }

    /// The residual MLP block starts as the identity.
    @Test func residualBlockStartsAsIdentity() throws {
        let block = try ModulatedResidualBlock(width: 6, conditionWidth: 4, generator: try Generator(seed: 3))
        let h = try Tensor.randn([3, 6], generator: try Generator(seed: 4))
        #expect(try (block(h, condition: try Tensor.randn([3, 4], generator: try Generator(seed: 5))) - h).abs().amax().item() == 0)
    }

    /// sin/cos of 1000·t·f_k with f_0 = 1 and f_{H−1} = 1/10 000.
    @Test func timeFeaturesClosedForm() throws {
        let features = try SinusoidalTimeEmbedding(frequencies: 4)(try Tensor([0.0, 0.001], shape: [2])).toArray(Double.self)
        let f = (0..<4).map { Foundation.exp(-Double($0) * Foundation.log(10_000) / 3) }
        let expected = [0, 0, 0, 0, 1, 1, 1, 1] + f.map { Foundation.sin($0) } + f.map { Foundation.cos($0) }
        for (a, b) in zip(features, expected) { #expect(Swift.abs(a - b) < 1e-12) }
    }
}
