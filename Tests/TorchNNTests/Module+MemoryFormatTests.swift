import Testing
import Torch
import TorchNN

/// A 2-D and a 3-D convolution and a linear layer: weights of rank 4, 5 and 2, biases of rank 1.
private final class MixedNetwork: Module {
    let planar: Conv2d
    let volume: Conv3d
    let head: Linear

    init(generator: Generator) throws {
        planar = try Conv2d(2, 3, kernelSize: [3], padding: [1], generator: generator)
        volume = try Conv3d(3, 4, kernelSize: [3], padding: [1], generator: generator)
        head = try Linear(4, 2, generator: generator)
        super.init()
    }
}

@Suite struct ModuleMemoryFormatTests {
    @Test func channelsLast3dConvertsExactlyTheFiveDimensionalTensors() throws {
        let network = try MixedNetwork(generator: Generator(seed: 5))
        let before = try network.stateDict().mapValues { try $0.toArray(Float.self) }
        let identities = network.parameters().map(ObjectIdentifier.init)
        #expect(try network.setMemoryFormat(.channelsLast3d) == ["volume.weight"])
        #expect(network.volume.weight.isContiguous(memoryFormat: .channelsLast3d))
        #expect(!network.volume.weight.isContiguous)
        #expect(network.planar.weight.isContiguous)
        // Same tensors (optimizers keep them), same values, still trainable.
        #expect(network.parameters().map(ObjectIdentifier.init) == identities)
        #expect(try network.stateDict().mapValues { try $0.toArray(Float.self) } == before)
        #expect(network.parameters().allSatisfy { $0.requiresGrad })
    }

    @Test func channelsLastThenContiguousRoundTrips() throws {
        let network = try MixedNetwork(generator: Generator(seed: 6))
        #expect(try network.setMemoryFormat(.channelsLast) == ["planar.weight"])
        #expect(network.planar.weight.isContiguous(memoryFormat: .channelsLast))
        try network.setMemoryFormat(.channelsLast3d)
        #expect(try network.setMemoryFormat(.contiguous) == ["planar.weight", "volume.weight"])
        #expect(network.parameters().allSatisfy { $0.isContiguous })
    }

    @Test func aChannelsLastNetworkGivesTheSameOutputAndGradients() throws {
        let generator = try Generator(seed: 7)
        let network = try MixedNetwork(generator: generator)
        let x = try Tensor.randn([2, 3, 4, 4, 4], generator: generator)
        func run() throws -> (Tensor, Tensor) {
            try network.volume.weight.zeroGrad()
            let y = try network.volume(x)
            try y.square().sum().backward()
            return (y, try #require(try network.volume.weight.grad))
        }
        let (reference, referenceGrad) = try run()
        try network.setMemoryFormat(.channelsLast3d)
        let (y, grad) = try run()
        #expect(y.isContiguous(memoryFormat: .channelsLast3d))
        #expect(try (y - reference).abs().amax().item() < 1e-5 * reference.abs().amax().item())
        #expect(try (grad - referenceGrad).abs().amax().item() < 1e-5 * referenceGrad.abs().amax().item())
    }
}
