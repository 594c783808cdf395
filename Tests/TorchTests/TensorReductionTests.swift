import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct TensorReductionTests {
    static let gradientCases: [GradientCase] = [
        GradientCase("sum()", [input([2, 3])]) { try $0[0].sum() },
        GradientCase("sum(dims: [1], keepDim: true)", [input([2, 3])]) { try $0[0].sum(dims: [1], keepDim: true) },
        GradientCase("mean()", [input([2, 3])]) { try $0[0].mean() },
        GradientCase("mean(dims: [0])", [input([2, 3])]) { try $0[0].mean(dims: [0]) },
        GradientCase("variance()", [input([2, 3])]) { try $0[0].variance() },
        GradientCase("variance(dims: [1], correction: 0)", [input([2, 4])]) { try $0[0].variance(dims: [1], correction: 0) },
        GradientCase("standardDeviation()", [input([2, 3])]) { try $0[0].standardDeviation() },
        GradientCase("standardDeviation(dims: [0], correction: 0, keepDim: true)", [input([3, 2])]) {
            try $0[0].standardDeviation(dims: [0], correction: 0, keepDim: true)
        },
        GradientCase("amin()", [input([2, 3])]) { try $0[0].amin() },
        GradientCase("amin(dims: [1])", [input([2, 3])]) { try $0[0].amin(dims: [1]) },
        GradientCase("amax(dims: [0])", [input([2, 3])]) { try $0[0].amax(dims: [0]) },
        GradientCase("logsumexp()", [input([2, 3])]) { try $0[0].logsumexp() },
        GradientCase("logsumexp(dims: [1])", [input([2, 3])]) { try $0[0].logsumexp(dims: [1]) },
        GradientCase("norm()", [input([2, 3])]) { try $0[0].norm() },
        GradientCase("norm(p: 1, dims: [1])", [input([2, 3], .awayFromZero)]) { try $0[0].norm(p: 1, dims: [1]) },
        GradientCase("norm(p: 3, dims: [0])", [input([2, 3], .awayFromZero)]) { try $0[0].norm(p: 3, dims: [0]) },
        GradientCase("cumsum(dim: 1)", [input([2, 3])]) { try $0[0].cumsum(dim: 1) },
        GradientCase("cumprod(dim: 1)", [input([2, 4], .awayFromZero)]) { try $0[0].cumprod(dim: 1) },
        GradientCase("topk(2).values", [input([2, 4])]) { try $0[0].topk(2).values },
        GradientCase("topk(2, dim: 0, largest: false).values", [input([3, 2])]) { try $0[0].topk(2, dim: 0, largest: false).values },
        GradientCase("sorted().values", [input([2, 4])]) { try $0[0].sorted().values },
        GradientCase("sorted(dim: 0, descending: true).values", [input([3, 2])]) { try $0[0].sorted(dim: 0, descending: true).values },
        GradientCase("min(dim: 1).values", [input([2, 3])]) { try $0[0].min(dim: 1).values },
        GradientCase("max(dim: 0, keepDim: true).values", [input([2, 3])]) { try $0[0].max(dim: 0, keepDim: true).values },
        GradientCase("quantile([0.25, 0.5, 0.9])", [input([7])]) { try $0[0].quantile(tensor([0.25, 0.5, 0.9])) },
    ]

    @Test(arguments: gradientCases)
    func gradientMatchesFiniteDifferences(_ c: GradientCase) throws {
        try expectGradientsMatchFiniteDifferences(c)
    }

    @Test(arguments: gradientCases)
    func valuesMatchPyTorch(_ c: GradientCase) throws {
        try expectMatchesGolden(c)
    }

    @Test func varianceAndStandardDeviationWithBothCorrections() throws {
        // mean 2.5, Σ(x − mean)² = 5.
        let x = try tensor([1, 2, 3, 4])
        try expectValues(x.variance(correction: 0), [1.25], shape: [])
        try expectValues(x.variance(correction: 1), [5.0 / 3], shape: [])
        try expectValues(x.variance(), [5.0 / 3], shape: [])
        try expectValues(x.standardDeviation(correction: 0), [(1.25).squareRoot()], shape: [])
        try expectValues(x.standardDeviation(correction: 1), [(5.0 / 3).squareRoot()], shape: [])
        // Per row: [1, 3] → Σ = 2; [2, 8] → Σ = 18.
        let y = try tensor([1, 3, 2, 8], [2, 2])
        try expectValues(y.variance(dims: [1], correction: 0), [1, 9], shape: [2])
        try expectValues(y.variance(dims: [1], correction: 1, keepDim: true), [2, 18], shape: [2, 1])
        try expectValues(y.standardDeviation(dims: [1], correction: 0), [1, 3], shape: [2])
    }

    @Test func sumsMeansAndExtremes() throws {
        let x = try tensor([1, -2, 3, 4, 5, -6], [2, 3])
        try expectValues(x.sum(), [5], shape: [])
        try expectValues(x.sum(dims: [0]), [5, 3, -3], shape: [3])
        try expectValues(x.sum(dims: [1], keepDim: true), [2, 3], shape: [2, 1])
        try expectValues(x.mean(dims: [1]), [2.0 / 3, 1], shape: [2])
        try expectValues(x.amin(), [-6], shape: [])
        try expectValues(x.amax(dims: [1]), [3, 5], shape: [2])
        try expectValues(x.abs().norm(p: 1), [21], shape: [])
        try expectValues(x.norm(dims: [1]), [(14.0).squareRoot(), (77.0).squareRoot()], shape: [2])
        try expectValues(x.logsumexp(dims: [1]), [Foundation.log(Foundation.exp(1) + Foundation.exp(-2) + Foundation.exp(3)),
                                                  Foundation.log(Foundation.exp(4) + Foundation.exp(5) + Foundation.exp(-6))], shape: [2])
        // Stable for large inputs, where exp overflows.
        try expectValues(tensor([1000, 1000]).logsumexp(), [1000 + Foundation.log(2)], shape: [])
        let (values, positions) = try x.max(dim: 1)
        try expectValues(values, [3, 5], shape: [2])
        #expect(try positions.toArray(Int64.self) == [2, 1])
        #expect(try x.min(dim: 0).indices.toArray(Int64.self) == [0, 0, 1])
        #expect(try x.argmax(dim: 0).toArray(Int64.self) == [1, 1, 0])
        #expect(try x.argmin(dim: 1, keepDim: true).shape == [2, 1])
        #expect(try (x .> 0).all().toArray(Bool.self) == [false])
        #expect(try (x .> 0).any().toArray(Bool.self) == [true])
    }

    @Test func cumulativeSortingAndQuantiles() throws {
        let x = try tensor([3, 1, 2, 5])
        try expectValues(x.cumsum(dim: 0), [3, 4, 6, 11], shape: [4])
        try expectValues(x.cumprod(dim: 0), [3, 3, 6, 30], shape: [4])
        let top = try x.topk(2)
        try expectValues(top.values, [5, 3], shape: [2])
        #expect(try top.indices.toArray(Int64.self) == [3, 0])
        try expectValues(x.topk(2, largest: false).values, [1, 2], shape: [2])
        let sorted = try x.sorted()
        try expectValues(sorted.values, [1, 2, 3, 5], shape: [4])
        #expect(try sorted.indices.toArray(Int64.self) == [1, 2, 0, 3])
        try expectValues(x.sorted(descending: true).values, [5, 3, 2, 1], shape: [4])
        // Linear interpolation between order statistics 1, 2, 3, 5 at positions q·(n − 1).
        try expectValues(x.quantile(tensor([0, 0.5, 0.75, 1])), [1, 2.5, 3.5, 5], shape: [4])
        try expectValues(tensor([0.1, 0.5, 0.55, 2.5, 3, 9]).histc(bins: 3, min: 0, max: 3), [3, 0, 2], shape: [3])
    }
}
