import Foundation
import Testing
import Torch
import TorchNN
import _TestSupport

/// Mirrors `Block` in Fixtures/make_fixtures.py.
final class KeyTestBlock: Module {
    let norm: GroupNorm
    let conv: Conv3d
    @Buffer var scale: Tensor
    @Buffer var cache: Tensor

    init(generator: Generator) throws {
        norm = try GroupNorm(groups: 2, channels: 4)
        conv = try Conv3d(4, 4, kernelSize: [3], padding: [1], generator: generator)
        _scale = try Buffer(wrappedValue: Tensor.ones([4]))
        _cache = try Buffer(wrappedValue: Tensor.zeros([2]), persistent: false)
        super.init()
    }
}

/// Mirrors `KeyTestNetwork` in Fixtures/make_fixtures.py: a raw parameter, a nil optional
/// parameter, renamed properties, an array of blocks, a Sequential and a bias-free Linear.
final class KeyTestNetwork: Module {
    let temperature: Tensor
    let offset: Tensor?
    let inputProjection: Linear
    let blocks: [KeyTestBlock]
    let head: Sequential
    let gate: Linear
    @Buffer var runningMean: Tensor

    override var keyOverrides: [String: String] { ["inputProjection": "in_proj", "runningMean": "running_mean"] }

    init(seed: UInt64 = 1) throws {
        let generator = try Generator(seed: seed)
        temperature = try Tensor.ones([1]).requiringGrad()
        offset = nil
        inputProjection = try Linear(3, 4, generator: generator)
        blocks = try [KeyTestBlock(generator: generator), KeyTestBlock(generator: generator)]
        head = try Sequential([Linear(4, 8, generator: generator), SiLU(), Linear(8, 2, bias: false, generator: generator)])
        gate = try Linear(2, 2, bias: false, generator: generator)
        _runningMean = try Buffer(wrappedValue: Tensor.zeros([2]))
        super.init()
    }
}

private struct ModuleKeysFixture: Decodable {
    struct Entry: Decodable {
        let key: String
        let shape: [Int]
        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            key = try c.decode(String.self)
            shape = try c.decode([Int].self)
        }
    }
    let stateDict: [Entry]
    let namedParameters: [String]
    let parameterCount: Int
}

@Suite struct ModuleTests {
    private let golden: ModuleKeysFixture

    init() throws { golden = try Fixtures.json("module_keys.json") }

    @Test func stateDictKeysAndShapesEqualPyTorch() throws {
        let net = try KeyTestNetwork()
        let ours = net.stateDict().mapValues(\.shape)
        let theirs = Dictionary(uniqueKeysWithValues: golden.stateDict.map { ($0.key, $0.shape) })
        #expect(ours.keys.sorted() == theirs.keys.sorted())
        #expect(ours == theirs)
    }

    @Test func namedParametersFollowPyTorchOrder() throws {
        let net = try KeyTestNetwork()
        #expect(net.namedParameters().map(\.key) == golden.namedParameters)
    }

    @Test func parameterCountEqualsPyTorch() throws {
        let net = try KeyTestNetwork()
        #expect(net.parameterCount == golden.parameterCount)
        #expect(net.parameters().count == golden.namedParameters.count)
    }

    @Test func buffersAreSavedButNotTrained() throws {
        let net = try KeyTestNetwork()
        #expect(Set(net.namedBuffers().map(\.key)) == ["running_mean", "blocks.0.scale", "blocks.1.scale"])
        let parameterKeys = Set(net.namedParameters().map(\.key))
        #expect(parameterKeys.isDisjoint(with: ["running_mean", "blocks.0.scale", "blocks.0.cache"]))
        // Non-persistent buffers are neither saved nor expected.
        #expect(net.stateDict()["blocks.0.cache"] == nil)
    }

    @Test func namedModulesUseDottedKeys() throws {
        let net = try KeyTestNetwork()
        let keys = net.namedModules().map(\.key)
        #expect(keys.first == "")
        for key in ["in_proj", "blocks.0", "blocks.1.norm", "blocks.1.conv", "head", "head.0", "head.1", "head.2", "gate"] {
            #expect(keys.contains(key), "missing submodule \(key) in \(keys)")
        }
    }

    @Test func trainAndEvalReachEverySubmodule() throws {
        let net = try KeyTestNetwork()
        #expect(net.namedModules().allSatisfy { $0.module.isTraining })
        net.eval()
        #expect(net.namedModules().count == 13)
        #expect(net.namedModules().allSatisfy { !$0.module.isTraining })
        net.train()
        #expect(net.namedModules().allSatisfy { $0.module.isTraining })
        net.blocks[1].train(false)
        #expect(!net.blocks[1].conv.isTraining && net.blocks[0].conv.isTraining && net.isTraining)
    }

    @Test func dropoutFollowsTrainingMode() throws {
        let probability = 0.25
        let model = try Sequential([Linear(4, 4, generator: Generator(seed: 3)), Dropout(probability, generator: Generator(seed: 4))])
        let dropout = try #require(model.layers[1] as? Dropout)
        let x = try Tensor.ones([100_000])

        model.eval()
        #expect(try values(dropout(x)) == values(x))

        model.train()
        let y = try values(dropout(x))
        let dropped = Double(y.filter { $0 == 0 }.count) / Double(y.count)
        let standardError = (probability * (1 - probability) / Double(y.count)).squareRoot()
        #expect(Swift.abs(dropped - probability) < 4 * standardError, "dropped fraction \(dropped)")
        // Inverted dropout: survivors are scaled by 1/(1 − p).
        #expect(y.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / (1 - probability)) < 1e-6 })
    }

    // MARK: loading

    @Test func strictLoadReportsEveryProblemAtOnceAndChangesNothing() throws {
        let net = try KeyTestNetwork()
        let before = try net.stateDict().mapValues { try values($0) }
        var dict = try KeyTestNetwork(seed: 2).stateDict()
        dict["temperature"] = try Tensor([5] as [Float])
        dict["gate.weight"] = nil
        dict["gate.bias"] = try Tensor.zeros([2])
        dict["in_proj.weight"] = try Tensor.zeros([4, 4])

        let error = try #require(throws: ModuleError.self) { try net.load(stateDict: dict) }
        #expect(error == .stateDictMismatch(
            missing: ["gate.weight"], unexpected: ["gate.bias"],
            shapeMismatches: ["in_proj.weight: model [4, 3], checkpoint [4, 4]"]))
        for part in ["missing keys: gate.weight", "unexpected keys: gate.bias", "shape mismatches: in_proj.weight: model [4, 3], checkpoint [4, 4]"] {
            #expect(error.description.contains(part), "\(error)")
        }
        let after = try net.stateDict().mapValues { try values($0) }
        #expect(after == before, "a failed load must leave every parameter unchanged")
    }

    @Test func nonStrictLoadIgnoresMissingAndUnexpectedKeys() throws {
        let net = try KeyTestNetwork()
        let gateBefore = try values(net.gate.weight)
        try net.load(stateDict: ["temperature": Tensor([7] as [Float]), "not.a.key": Tensor.zeros([3])], strict: false)
        #expect(try values(net.temperature) == [7])
        #expect(try values(net.gate.weight) == gateBefore)

        // A shape mismatch is an error even when loading non-strictly.
        #expect(throws: ModuleError.stateDictMismatch(missing: [], unexpected: [], shapeMismatches: ["temperature: model [1], checkpoint [2]"])) {
            try net.load(stateDict: ["temperature": Tensor.zeros([2])], strict: false)
        }
    }

    @Test func successfulLoadCopiesValues() throws {
        let net = try KeyTestNetwork(seed: 1)
        let source = try KeyTestNetwork(seed: 2)
        #expect(try values(net.inputProjection.weight) != values(source.inputProjection.weight))
        // float64 values are converted to the float32 parameters.
        try net.load(stateDict: source.stateDict().mapValues { try $0.to(dtype: .float64) })
        let expected = try values(source.blocks[1].conv.weight)
        #expect(try values(net.blocks[1].conv.weight) == expected)
        #expect(net.blocks[1].conv.weight.dtype == .float32)
        #expect(net.blocks[1].conv.weight.requiresGrad && net.blocks[1].conv.weight.isLeaf)
        // A copy, not an alias: changing the source afterwards leaves the model alone.
        try withNoGrad { try source.blocks[1].conv.weight.fill_(3) }
        #expect(try values(net.blocks[1].conv.weight) == expected)
    }

    @Test func loadWritesBuffersInPlace() throws {
        let net = try KeyTestNetwork()
        var dict = net.stateDict()
        dict["running_mean"] = try Tensor([0.5, -0.5] as [Float])
        try net.load(stateDict: dict)
        #expect(try values(net.runningMean) == [0.5, -0.5])
        #expect(try values(net.namedBuffers().first { $0.key == "running_mean" }!.tensor) == [0.5, -0.5])
    }
}
