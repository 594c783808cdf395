import Foundation
import Testing
import Torch
import TorchNN
import _TestSupport

/// Each case builds the Swift twin of a torch.nn module in Fixtures/make_fixtures.py.
enum LayerCase: String, CaseIterable, CustomTestStringConvertible {
    case linear, conv1d, conv2d, conv3d
    case conv2dCircular = "conv2d_circular", conv3dCircular = "conv3d_circular"
    case convTranspose1d = "conv_transpose1d", convTranspose2d = "conv_transpose2d", convTranspose3d = "conv_transpose3d"
    case groupNorm = "group_norm", layerNorm = "layer_norm", embedding, sequential

    var testDescription: String { rawValue }

    /// A freshly initialised module (its weights differ from PyTorch's) and its forward pass.
    func make() throws -> (module: Module, forward: (Tensor) throws -> Tensor) {
        let g = try Generator(seed: 11)
        func unary(_ layer: some UnaryLayer) -> (Module, (Tensor) throws -> Tensor) { (layer, { try layer($0) }) }
        switch self {
        case .linear: return try unary(Linear(5, 3, generator: g))
        case .conv1d: return try unary(Conv1d(2, 3, kernelSize: 3, stride: 2, padding: 1, generator: g))
        case .conv2d: return try unary(Conv2d(2, 4, kernelSize: [3, 2], stride: [1, 2], padding: [1, 0], groups: 2, generator: g))
        case .conv3d: return try unary(Conv3d(2, 2, kernelSize: [3], stride: [1, 2, 1], padding: [1], generator: g))
        case .conv2dCircular: return try unary(Conv2d(2, 3, kernelSize: [3], padding: [1], paddingMode: .circular, generator: g))
        case .conv3dCircular:
            return try unary(Conv3d(2, 2, kernelSize: [1, 3, 3], padding: [0, 1, 1], paddingMode: .circular, generator: g))
        case .convTranspose1d: return try unary(ConvTranspose1d(3, 2, kernelSize: 4, stride: 2, padding: 1, outputPadding: 1, generator: g))
        case .convTranspose2d:
            return try unary(ConvTranspose2d(2, 4, kernelSize: [3], stride: [2], padding: [1], outputPadding: [1], groups: 2, generator: g))
        case .convTranspose3d:
            return try unary(ConvTranspose3d(2, 2, kernelSize: [2, 3, 2], stride: [2], padding: [1], outputPadding: [1, 0, 1], generator: g))
        case .groupNorm: return try unary(GroupNorm(groups: 2, channels: 6))
        case .layerNorm: return try unary(LayerNorm([4, 3]))
        case .embedding:
            let layer = try Embedding(7, 3, generator: g)
            return (layer, { try layer($0) })
        case .sequential:
            return try unary(Sequential([
                Linear(4, 8, generator: g), SiLU(), Linear(8, 8, generator: g), GELU(), LayerNorm([8]), Linear(8, 2, generator: g),
            ]))
        }
    }
}

@Suite struct LayersTests {
    private let fixture: [String: Tensor]

    init() throws { fixture = try Fixtures.tensors("layers.safetensors") }

    private func state(_ name: String) -> [String: Tensor] {
        let prefix = "\(name).state."
        var result: [String: Tensor] = [:]
        for (key, t) in fixture where key.hasPrefix(prefix) { result[String(key.dropFirst(prefix.count))] = t }
        return result
    }

    @Test(arguments: LayerCase.allCases)
    func pyTorchWeightsGivePyTorchOutput(_ layer: LayerCase) throws {
        let (module, forward) = try layer.make()
        let weights = state(layer.rawValue)
        #expect(!weights.isEmpty)
        let input = try #require(fixture["\(layer.rawValue).input"])
        let expected = try #require(fixture["\(layer.rawValue).output"])
        // Before loading, the Swift module's own initialisation gives a different answer.
        let fresh = try forward(input)
        #expect(try !allClose(fresh, expected, atol: 1e-5).ok)

        try module.load(stateDict: weights)
        try expectClose(try forward(input), expected, atol: 1e-5, layer.rawValue)
    }

    @Test func circularPaddingWrapsAround() throws {
        // A 1×3 kernel picking the left neighbour shifts the row right with wrap-around.
        let conv = try Conv1d(1, 1, kernelSize: 3, padding: 1, bias: false, paddingMode: .circular, generator: Generator(seed: 0))
        try conv.load(stateDict: ["weight": Tensor([1, 0, 0] as [Float], shape: [1, 1, 3])])
        let x = try Tensor([1, 2, 3, 4] as [Float], shape: [1, 1, 4])
        #expect(try values(conv(x)) == [4, 1, 2, 3])
    }

    @Test func transposedConvolutionOutputShape() throws {
        // L_out = (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1
        let layer = try ConvTranspose3d(2, 3, kernelSize: [3], stride: [2, 3, 2], padding: [1], outputPadding: [1, 2, 0], generator: Generator(seed: 0))
        let y = try layer(Tensor.zeros([1, 2, 4, 5, 6]))
        #expect(y.shape == [1, 3, 8, 15, 11])
    }

    @Test func invalidConfigurationsThrow() throws {
        let g = try Generator(seed: 0)
        #expect(throws: TorchError.self) { try Conv2d(3, 4, kernelSize: [3], groups: 2, generator: g) }
        #expect(throws: TorchError.self) { try Conv3d(2, 2, kernelSize: [3, 3], generator: g) }
        #expect(throws: TorchError.self) { try GroupNorm(groups: 4, channels: 6) }
        #expect(throws: TorchError.self) { try Dropout(1.5, generator: g) }
    }

    @Test func sequentialKeysMatchNNSequential() throws {
        let g = try Generator(seed: 0)
        let model = try Sequential([Linear(2, 3, generator: g), ReLU(), LayerNorm([3]), Linear(3, 1, bias: false, generator: g)])
        #expect(model.stateDict().keys.sorted() == ["0.bias", "0.weight", "2.bias", "2.weight", "3.weight"])
        let list = try ModuleList([Linear(2, 2, generator: g), Linear(2, 2, bias: false, generator: g)])
        #expect(list.stateDict().keys.sorted() == ["0.bias", "0.weight", "1.weight"])
    }

    @Test func linearParametersTakeTheRequestedDType() throws {
        let layer = try Linear(4, 3, dtype: .float64, generator: Generator(seed: 2))
        #expect(layer.weight.dtype == .float64 && layer.bias?.dtype == .float64)
        #expect(layer.weight.requiresGrad)
        let bound = 1 / 2.0
        #expect(try layer.weight.toArray(Double.self).allSatisfy { abs($0) <= bound })
        let y = try layer(Tensor.ones([2, 4], dtype: .float64))
        #expect(y.dtype == .float64 && y.shape == [2, 3])
    }
}
