import CaloData
@testable import CaloModels
import Testing
import Torch
import TorchNN

@Suite struct PatchTokenizerTests {
    /// Sets a linear layer to the identity on its first min(in, out) features, zero elsewhere.
    func setIdentity(_ layer: Linear) throws {
        let (out, input) = (layer.weight.dim(0), layer.weight.dim(1))
        try withNoGrad {
            try layer.weight.copy_(try Tensor.eye(out, input))
            try layer.bias?.zero_()
        }
    }

    /// With identity embeddings and read-outs, readout(embed(x)) = x: the tokens cover every voxel exactly once.
    @Test(arguments: [("ds2", [1, 16, 9]), ("ds2", [3, 16, 1]), ("ds3", [1, 10, 18]), ("ds1-pions", nil)] as [(String, [Int]?)])
    func tokensCoverEveryVoxelOnce(geometryName: String, patch: [Int]?) throws {
        let geometry = try Geometry.named(geometryName)
        let generator = try Generator(seed: 1)
        let probe = try PatchTokenizer(geometry: geometry, patch: patch, width: 1, generator: generator)
        let width = probe.groupSizes.max() ?? 1
        let tokenizer = try PatchTokenizer(geometry: geometry, patch: patch, width: width, generator: generator)
        for layer in tokenizer.embeddings + tokenizer.readouts { try setIdentity(layer) }
        let x = try Tensor.randn([2, geometry.voxelCount], generator: generator)
        let tokens = try tokenizer.embed(x)
        #expect(tokens.shape == [2, tokenizer.tokenCount, width])
        #expect(try (tokenizer.readout(tokens) - x).abs().amax().item() == 0)
    }

    /// With skips, the read-out reaches every voxel direction: read-outs at zero, skips the identity and gates
    /// at 1 give readout(h, input: x) = x for any h, although the width (8) is far below a patch's 144 voxels.
    /// Without skips a fresh tokenizer's read-out ignores the input.
    @Test(arguments: [("ds2", [1, 16, 9]), ("ds1-photons", nil)] as [(String, [Int]?)])
    func skipsGiveAFullRankReadout(geometryName: String, patch: [Int]?) throws {
        let geometry = try Geometry.named(geometryName)
        let generator = try Generator(seed: 1)
        let tokenizer = try PatchTokenizer(geometry: geometry, patch: patch, width: 8, skips: true, generator: generator)
        try withNoGrad {
            for readout in tokenizer.readouts { try readout.weight.zero_(); try readout.bias?.zero_() }
            for skip in tokenizer.skips { try setIdentity(skip) }
            for gate in tokenizer.gates { try gate.weight.zero_(); try gate.bias?.fill_(1) }
        }
        let x = try Tensor.randn([3, geometry.voxelCount], generator: generator)
        let h = try Tensor.randn([3, tokenizer.tokenCount, 8], generator: generator)
        #expect(try (tokenizer.readout(h, input: x) - x).abs().amax().item() < 1e-6)
        let plain = try PatchTokenizer(geometry: geometry, patch: patch, width: 8, generator: generator)
        #expect(plain.skips.isEmpty && plain.gates.isEmpty)
        #expect(try (plain.readout(h, input: x) - plain.readout(h)).abs().amax().item() == 0)
    }

    /// CaloDREAM's ds2 patching (3, 16, 1) gives 15 × 1 × 9 = 135 tokens (spec/models.md §D); one token per
    /// layer gives 45; ds1 pions one per relevant layer (7).
    @Test func tokenCounts() throws {
        let generator = try Generator(seed: 1)
        #expect(try PatchTokenizer(geometry: .ds2, patch: [3, 16, 1], width: 8, generator: generator).tokenCount == 135)
        let layerTokens = try PatchTokenizer(geometry: .ds2, patch: [1, 16, 9], width: 8, generator: generator)
        #expect(layerTokens.tokenCount == 45 && layerTokens.indices.inFlatOrder)
        #expect(try !PatchTokenizer(geometry: .ds2, patch: [3, 16, 1], width: 8, generator: generator).indices.inFlatOrder)
        #expect(try PatchTokenizer(geometry: .ds1Pions, patch: nil, width: 8, generator: generator).tokenCount == 7)
    }

    /// Every token sees the values of its own layers.
    @Test func tokenValuesFollowTheTokensLayers() throws {
        let tokenizer = try PatchTokenizer(geometry: .ds2, patch: [3, 16, 1], width: 8, generator: try Generator(seed: 1))
        let perLayer = try Tensor.arange(0, 45).reshaped([1, 45])
        let values = try tokenizer.tokenValues(perLayer)
        #expect(values.shape == [1, 135, 3])
        // Token (z = 1, r = 4) is the 13th token and covers layers 3, 4, 5.
        #expect(try values.selecting(dim: 1, index: 9 + 4).toArray(Float.self) == [3, 4, 5])
    }

    @Test func patchesThatDoNotDivideTheGridAreRefused() throws {
        let generator = try Generator(seed: 1)
        #expect(throws: ModelError.self) { try PatchTokenizer(geometry: .ds2, patch: [2, 16, 9], width: 8, generator: generator) }
        #expect(throws: ModelError.self) { try PatchTokenizer(geometry: .ds1Photons, patch: [1, 1, 1], width: 8, generator: generator) }
    }
}
