import Testing
import Torch

@Suite struct MemoryFormatTests {
    @Test(arguments: [(MemoryFormat.channelsLast, [2, 3, 4, 5]), (.channelsLast3d, [2, 3, 4, 5, 6])])
    func channelsLastRoundTripKeepsValuesAndReportsTheFormat(format: MemoryFormat, shape: [Int]) throws {
        let count = shape.reduce(1, *)
        let x = try Tensor.arange(0, Double(count)).reshaped(shape)
        #expect(x.isContiguous(memoryFormat: .contiguous))
        #expect(!x.isContiguous(memoryFormat: format))
        let y = try x.contiguous(memoryFormat: format)
        #expect(y.shape == shape)
        #expect(y.isContiguous(memoryFormat: format))
        #expect(!y.isContiguous)
        // Same values at the same indices; the storage order differs, so a flattened copy still matches.
        #expect(try y.toArray(Float.self) == (try x.toArray(Float.self)))
        #expect(try (y .== x).all().item() == 1)
        let back = try y.contiguous(memoryFormat: .contiguous)
        #expect(back.isContiguous)
        #expect(try back.toArray(Float.self) == (0..<count).map(Float.init))
    }

    @Test func channelsLastStoresTheChannelIndexFastest() throws {
        // [1, 2, 1, 2]: NCHW order 0 1 | 2 3 (channel 0: 0 1; channel 1: 2 3); NHWC storage interleaves channels.
        let x = try Tensor.arange(0, 4).reshaped([1, 2, 1, 2]).contiguous(memoryFormat: .channelsLast)
        let storage = try x.permuted([0, 2, 3, 1])
        #expect(storage.isContiguous)
        #expect(try storage.toArray(Float.self) == [0, 2, 1, 3])
    }

    @Test func aWrongRankThrowsANamedError() throws {
        let x = try Tensor.zeros([2, 3, 4])
        #expect(throws: TorchError.memoryFormatRank(format: .channelsLast, shape: [2, 3, 4])) {
            try x.contiguous(memoryFormat: .channelsLast)
        }
        #expect(throws: TorchError.memoryFormatRank(format: .channelsLast3d, shape: [2, 3, 4])) {
            try x.setMemoryFormat_(.channelsLast3d)
        }
        #expect(!x.isContiguous(memoryFormat: .channelsLast))
        #expect(try x.contiguous(memoryFormat: .contiguous).shape == [2, 3, 4])
        let message = TorchError.memoryFormatRank(format: .channelsLast, shape: [2, 3, 4, 5, 6]).description
        #expect(message == "channels-last applies to 4-D tensors, but the tensor has shape [2, 3, 4, 5, 6]; use channels-last-3d for a 5-D tensor")
    }

    @Test func setMemoryFormatInPlaceKeepsTheTensorAndItsGradientFlag() throws {
        let weight = try Tensor.arange(0, 24).reshaped([2, 3, 2, 2]).requiringGrad()
        try weight.setMemoryFormat_(.channelsLast)
        #expect(weight.isContiguous(memoryFormat: .channelsLast))
        #expect(weight.requiresGrad)
        #expect(weight.isLeaf)
        #expect(try weight.detached().contiguous(memoryFormat: .contiguous).toArray(Float.self) == (0..<24).map(Float.init))
        try (weight * weight).sum().backward()
        let gradient = try #require(try weight.grad)
        #expect(try (gradient .== weight.detached() * 2).all().item() == 1)
    }

    @Test func aConvolutionWithAChannelsLastInputReturnsChannelsLastAndTheSameValues() throws {
        let generator = try Generator(seed: 3)
        let x = try Tensor.randn([2, 4, 5, 5, 5], generator: generator)
        let weight = try Tensor.randn([6, 4, 3, 3, 3], generator: generator)
        let reference = try convolution(x, weight: weight, bias: nil, stride: [1, 1, 1], padding: [1, 1, 1], dilation: [1, 1, 1])
        let y = try convolution(
            x.contiguous(memoryFormat: .channelsLast3d), weight: weight.contiguous(memoryFormat: .channelsLast3d), bias: nil,
            stride: [1, 1, 1], padding: [1, 1, 1], dilation: [1, 1, 1])
        #expect(y.isContiguous(memoryFormat: .channelsLast3d))
        let difference = try (y - reference).abs().amax().item() / reference.abs().amax().item()
        #expect(difference < 1e-5)
    }
}
