import Foundation
import Testing
import Torch
import _TestSupport

/// One draw of every sampler, in order, as plain arrays.
private func drawAll(_ g: Generator) throws -> [[Double]] {
    [
        try Tensor.randn([64], dtype: .float64, generator: g).toArray(Double.self),
        try Tensor.rand([32], dtype: .float64, generator: g).toArray(Double.self),
        try Tensor.randint(-5, 17, shape: [40], generator: g).toArray(Int64.self).map(Double.init),
        try Tensor.randperm(25, generator: g).toArray(Int64.self).map(Double.init),
        try Tensor.randn([5], dtype: .float32, generator: g).toArray(Double.self),
    ]
}

@Suite struct GeneratorTests {
    @Test func sameSeedSameSequence() throws {
        #expect(try drawAll(Generator(seed: 1234)) == drawAll(Generator(seed: 1234)))
    }

    @Test func extremeSeeds() throws {
        #expect(try drawAll(Generator(seed: UInt64.max)) == drawAll(Generator(seed: UInt64.max)))
        #expect(try drawAll(Generator(seed: 0)) != drawAll(Generator(seed: UInt64.max)))
    }

    @Test func differentSeedsDiffer() throws {
        let a = try drawAll(Generator(seed: 1))
        let b = try drawAll(Generator(seed: 2))
        for (x, y) in zip(a, b) { #expect(x != y) }
    }

    @Test func successiveDrawsDiffer() throws {
        let g = try Generator(seed: 5)
        let first = try Tensor.randn([16], dtype: .float64, generator: g).toArray(Double.self)
        let second = try Tensor.randn([16], dtype: .float64, generator: g).toArray(Double.self)
        #expect(first != second)
    }

    @Test func reseedRestartsTheSequence() throws {
        let g = try Generator(seed: 77)
        let first = try drawAll(g)
        try g.reseed(77)
        #expect(try drawAll(g) == first)
    }

    @Test func stateRestoresTheSequenceExactly() throws {
        let g = try Generator(seed: 99)
        _ = try Tensor.randn([7], dtype: .float64, generator: g)  // move away from the seeded state
        let saved = try g.state()
        #expect(saved.dtype == .uint8)
        let expected = try drawAll(g)
        try g.setState(saved)
        #expect(try drawAll(g) == expected)
        // A state moves to another generator, whatever that one's seed.
        let other = try Generator(seed: 3)
        try other.setState(saved)
        #expect(try drawAll(other) == expected)
        // The saved tensor is a copy: drawing did not change it.
        #expect(try g.state().toArray(UInt8.self) != saved.toArray(UInt8.self))
        #expect(throws: TorchError.self) { try g.setState(Tensor.zeros([3], dtype: .uint8)) }
    }

    @Test func samplersRespectTheirRanges() throws {
        let g = try Generator(seed: 8)
        let u = try Tensor.rand([2000], dtype: .float64, generator: g).toArray(Double.self)
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        let k = try Tensor.randint(-3, 4, shape: [2000], generator: g).toArray(Int64.self)
        #expect(Set(k) == Set(-3...3))
        let p = try Tensor.randperm(50, generator: g).toArray(Int64.self)
        #expect(p.sorted() == Array(0..<50))
        #expect(try Tensor.randn([2, 3], generator: g).shape == [2, 3])
        #expect(try Tensor.randn([2], generator: g).dtype == .float32)
        #expect(try Tensor.randint(0, 2, shape: [3], dtype: .int32, generator: g).dtype == .int32)
    }

    @Test func randnStatistics() throws {
        let n = 100_000
        let x = try Tensor.randn([n], dtype: .float64, generator: Generator(seed: 2024))
        let mean = try x.mean().item()
        let std = try x.standardDeviation().item()
        // Standard errors of the sample mean and standard deviation of N(0, 1): 1/√n and 1/√(2n).
        #expect(Swift.abs(mean) < 4 / Double(n).squareRoot())
        #expect(Swift.abs(std - 1) < 4 / (2 * Double(n)).squareRoot())
    }

    @Test func inPlaceSamplersAndLikeHelpers() throws {
        let g = try Generator(seed: 10)
        let n = 100_000
        let x = try Tensor.empty([n], dtype: .float64)
        try x.normal_(mean: 3, std: 2, generator: g)
        #expect(Swift.abs(try x.mean().item() - 3) < 4 * 2 / Double(n).squareRoot())
        #expect(Swift.abs(try x.standardDeviation().item() - 2) < 4 * 2 / (2 * Double(n)).squareRoot())
        try x.uniform_(low: -1, high: 5, generator: g)
        let u = try x.toArray(Double.self)
        #expect(u.allSatisfy { $0 >= -1 && $0 < 5 })
        // U(−1, 5) has mean 2 and standard deviation 6/√12.
        #expect(Swift.abs(try x.mean().item() - 2) < 4 * (6 / 12.0.squareRoot()) / Double(n).squareRoot())
        let like = try x.randnLike(generator: g)
        #expect(like.shape == [n])
        #expect(like.dtype == .float64)
    }

    @Test func bernoulliAndMultinomial() throws {
        let g = try Generator(seed: 4)
        let n = 50_000
        let draws = try Tensor.full([n], value: 0.3, dtype: .float64).bernoulli(generator: g).toArray(Double.self)
        #expect(draws.allSatisfy { $0 == 0 || $0 == 1 })
        let fraction = draws.reduce(0, +) / Double(n)
        #expect(Swift.abs(fraction - 0.3) < 4 * (0.3 * 0.7 / Double(n)).squareRoot())
        let picks = try tensor([0, 1, 0, 3]).multinomial(1000, replacement: true, generator: g).toArray(Int64.self)
        #expect(Set(picks).isSubset(of: [1, 3]))
        let ones = Double(picks.filter { $0 == 1 }.count) / 1000
        #expect(Swift.abs(ones - 0.25) < 4 * (0.25 * 0.75 / 1000).squareRoot())
        let distinct = try tensor([1, 1, 1, 1]).multinomial(4, replacement: false, generator: g).toArray(Int64.self)
        #expect(distinct.sorted() == [0, 1, 2, 3])
    }
}
