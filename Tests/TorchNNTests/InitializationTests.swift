import Foundation
import Testing
import Torch
import TorchNN
import _TestSupport

/// Mean and (population) variance.
private func moments(_ x: [Double]) -> (mean: Double, variance: Double) {
    let mean = x.reduce(0, +) / Double(x.count)
    return (mean, x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count))
}

/// A layer whose weight and bias follow PyTorch's U(±1/√fanIn) default.
struct FanInCase: CustomTestStringConvertible, Sendable {
    let name: String
    let fanIn: Int
    let make: @Sendable (Generator) throws -> (weight: Tensor, bias: Tensor?)
    var testDescription: String { name }

    static let all: [FanInCase] = [
        FanInCase(name: "Linear(300, 40)", fanIn: 300) { g in let l = try Linear(300, 40, generator: g); return (l.weight, l.bias) },
        FanInCase(name: "Conv1d(6, 8, k5)", fanIn: 30) { g in let l = try Conv1d(6, 8, kernelSize: 5, generator: g); return (l.weight, l.bias) },
        FanInCase(name: "Conv2d(8, 16, k3, groups 2)", fanIn: 36) { g in
            let l = try Conv2d(8, 16, kernelSize: [3], groups: 2, generator: g); return (l.weight, l.bias)
        },
        FanInCase(name: "Conv3d(4, 8, k2×3×3)", fanIn: 72) { g in
            let l = try Conv3d(4, 8, kernelSize: [2, 3, 3], generator: g); return (l.weight, l.bias)
        },
        // ConvTranspose weights are [in, out/groups, k…]; PyTorch takes the fan-in from dim 1.
        FanInCase(name: "ConvTranspose1d(16, 4, k3)", fanIn: 12) { g in
            let l = try ConvTranspose1d(16, 4, kernelSize: 3, generator: g); return (l.weight, l.bias)
        },
        FanInCase(name: "ConvTranspose2d(16, 8, k3, groups 2)", fanIn: 36) { g in
            let l = try ConvTranspose2d(16, 8, kernelSize: [3], groups: 2, generator: g); return (l.weight, l.bias)
        },
        FanInCase(name: "ConvTranspose3d(32, 2, k2)", fanIn: 16) { g in
            let l = try ConvTranspose3d(32, 2, kernelSize: [2], generator: g); return (l.weight, l.bias)
        },
    ]
}

@Suite struct InitializationTests {
    @Test(arguments: FanInCase.all)
    func weightsAndBiasesStayWithinTheFanInBound(_ layer: FanInCase) throws {
        let (weight, bias) = try layer.make(Generator(seed: 5))
        let bound = 1 / Double(layer.fanIn).squareRoot()
        let w = try values(weight)
        let largest = w.map(Swift.abs).max() ?? 0
        #expect(largest <= bound)
        // Hundreds of draws reach close to the bound; for ConvTranspose this also rules out a
        // fan-in taken from dim 0 (a bound smaller by √(in/out)).
        #expect(largest > 0.9 * bound)
        let b = try values(#require(bias))
        #expect(b.allSatisfy { Swift.abs($0) <= bound })
        #expect(weight.dtype == .float32 && weight.requiresGrad && weight.isLeaf)
    }

    @Test func largeLinearHasTheUniformVariance() throws {
        let fanIn = 512
        let layer = try Linear(fanIn, 512, generator: Generator(seed: 9))
        let w = try values(layer.weight)
        let bound = 1 / Double(fanIn).squareRoot()
        let (mean, variance) = moments(w)
        let n = Double(w.count)
        // U(−b, b): variance b²/3; Var(x²) = b⁴/5 − b⁴/9 = 4b⁴/45.
        #expect(Swift.abs(mean) < 4 * bound / (3 * n).squareRoot())
        #expect(Swift.abs(variance - bound * bound / 3) < 4 * (4.0 / 45).squareRoot() * bound * bound / n.squareRoot())
        #expect(try values(#require(layer.bias)).count == 512)
    }

    @Test func normalizationLayersStartAtOnesAndZeros() throws {
        let group = try GroupNorm(groups: 4, channels: 8)
        #expect(try values(#require(group.weight)) == Array(repeating: 1, count: 8))
        #expect(try values(#require(group.bias)) == Array(repeating: 0, count: 8))
        let layer = try LayerNorm([3, 5])
        #expect(try #require(layer.weight).shape == [3, 5])
        #expect(try values(#require(layer.weight)) == Array(repeating: 1, count: 15))
        #expect(try values(#require(layer.bias)) == Array(repeating: 0, count: 15))
        #expect(try #require(layer.weight).requiresGrad && #require(group.bias).requiresGrad)
        let plain = try GroupNorm(groups: 2, channels: 4, affine: false)
        #expect(plain.weight == nil && plain.stateDict().isEmpty)
    }

    @Test func embeddingIsStandardNormal() throws {
        let layer = try Embedding(1000, 64, generator: Generator(seed: 13))
        let w = try values(layer.weight)
        let n = Double(w.count)
        let (mean, variance) = moments(w)
        #expect(Swift.abs(mean) < 4 / n.squareRoot())
        #expect(Swift.abs(variance - 1) < 4 * (2 / n).squareRoot())
        #expect(layer.weight.requiresGrad)
    }

    @Test func sameSeedGivesSameWeights() throws {
        func weights(_ seed: UInt64) throws -> [[Double]] {
            let model = try KeyTestNetwork(seed: seed)
            return try model.parameters().map { try values($0) }
        }
        #expect(try weights(21) == weights(21))
        #expect(try weights(21) != weights(22))
    }

    @Test func everyParameterRequiresGrad() throws {
        let model = try KeyTestNetwork()
        #expect(model.parameters().allSatisfy { $0.requiresGrad && $0.isLeaf })
    }

    @Test func initializersHonourDTypeAndRange() throws {
        let g = try Generator(seed: 3)
        let u = try Initialization.uniform([2000], low: 2, high: 3, generator: g, dtype: .float64)
        #expect(u.dtype == .float64 && u.requiresGrad)
        #expect(try values(u).allSatisfy { (2..<3).contains($0) })
        let n = try Initialization.normal([4000], mean: 5, std: 0.5, generator: g, dtype: .float64)
        let (mean, variance) = moments(try values(n))
        #expect(Swift.abs(mean - 5) < 4 * 0.5 / 4000.0.squareRoot())
        #expect(Swift.abs(variance - 0.25) < 4 * 0.25 * (2 / 4000.0).squareRoot())
        #expect(try values(Initialization.constant([3], value: 0.5)) == [0.5, 0.5, 0.5])
    }
}
