import Foundation
import Testing
import Torch
import _TestSupport

private func convolutionCase(
    _ name: String, x: [Int], weight: [Int], bias: Int?, stride: [Int] = [1], padding: [Int] = [0], dilation: [Int] = [1],
    groups: Int = 1
) -> GradientCase {
    let specs = [input(x), input(weight)] + (bias.map { [input([$0])] } ?? [])
    return GradientCase(name, specs) {
        try convolution($0[0], weight: $0[1], bias: $0.count > 2 ? $0[2] : nil, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

private func transposedCase(
    _ name: String, x: [Int], weight: [Int], bias: Int?, stride: [Int] = [1], padding: [Int] = [0], outputPadding: [Int] = [0],
    dilation: [Int] = [1], groups: Int = 1
) -> GradientCase {
    let specs = [input(x), input(weight)] + (bias.map { [input([$0])] } ?? [])
    return GradientCase(name, specs) {
        try transposedConvolution(
            $0[0], weight: $0[1], bias: $0.count > 2 ? $0[2] : nil, stride: stride, padding: padding, outputPadding: outputPadding,
            dilation: dilation, groups: groups)
    }
}

/// softmax(q·kᵀ·scale + bias)·v from matmul and softmax, the definition the fused op must match.
private func attentionByDefinition(_ q: Tensor, _ k: Tensor, _ v: Tensor, additiveMask: Tensor? = nil, scale: Double? = nil) throws -> Tensor {
    let scale = scale ?? 1 / Double(q.dim(-1)).squareRoot()
    var scores = try q.matmul(k.transposed(-2, -1)) * scale
    if let additiveMask { scores = try scores + additiveMask }
    return try scores.softmax(dim: -1).matmul(v)
}

/// 0 where `keep` is true, −∞ elsewhere.
private func additive(_ keep: Tensor) throws -> Tensor {
    try Tensor.zeros(keep.shape, dtype: .float64).maskedFill(keep.logicalNot(), -.infinity)
}

private let causalKeep: [Bool] = [true, false, false, true, true, false, true, true, true]
private let attentionMask: [Bool] = [true, false, true, true, false, true, true, true, false, false, false, true, true, false, true]

@Suite struct FunctionalTests {
    static let gradientCases: [GradientCase] = [
        GradientCase("linear with bias", [input([2, 3]), input([4, 3]), input([4])]) { try linear($0[0], weight: $0[1], bias: $0[2]) },
        GradientCase("linear without bias, batched", [input([2, 2, 3]), input([2, 3])]) { try linear($0[0], weight: $0[1], bias: nil) },
        convolutionCase("conv1d stride 2, padding 1, dilation 2, groups 2", x: [2, 2, 7], weight: [4, 1, 3], bias: 4,
                        stride: [2], padding: [1], dilation: [2], groups: 2),
        convolutionCase("conv2d stride [2, 1], padding [1, 0], dilation [1, 2]", x: [1, 2, 5, 5], weight: [2, 2, 3, 3], bias: 2,
                        stride: [2, 1], padding: [1, 0], dilation: [1, 2]),
        convolutionCase("conv2d groups 2, no bias", x: [1, 2, 4, 4], weight: [4, 1, 2, 2], bias: nil, padding: [1], groups: 2),
        convolutionCase("conv3d stride 2, padding 1, groups 2", x: [1, 2, 4, 4, 4], weight: [2, 1, 2, 2, 2], bias: 2,
                        stride: [2], padding: [1], groups: 2),
        convolutionCase("conv3d dilation 2", x: [1, 1, 5, 4, 4], weight: [2, 1, 2, 2, 2], bias: nil, dilation: [2, 1, 2]),
        transposedCase("transposedConv1d stride 2, padding 1, outputPadding 1", x: [1, 2, 4], weight: [2, 3, 3], bias: 3,
                       stride: [2], padding: [1], outputPadding: [1]),
        transposedCase("transposedConv1d dilation 2, groups 2", x: [1, 2, 3], weight: [2, 2, 2], bias: nil, dilation: [2], groups: 2),
        transposedCase("transposedConv2d stride 2, groups 2", x: [1, 4, 3, 3], weight: [4, 1, 2, 2], bias: 2, stride: [2], groups: 2),
        transposedCase("transposedConv2d padding [1, 0]", x: [1, 1, 3, 3], weight: [1, 2, 3, 2], bias: 2, padding: [1, 0]),
        transposedCase("transposedConv3d stride 2", x: [1, 2, 2, 2, 2], weight: [2, 2, 2, 2, 2], bias: 2, stride: [2]),
        GradientCase("groupNorm(groups: 2) with affine", [input([2, 4, 3]), input([4]), input([4])]) {
            try groupNorm($0[0], groups: 2, weight: $0[1], bias: $0[2])
        },
        GradientCase("groupNorm(groups: 1) 2-d", [input([1, 2, 2, 3])]) { try groupNorm($0[0], groups: 1, weight: nil, bias: nil) },
        GradientCase("layerNorm [4] with affine", [input([2, 3, 4]), input([4]), input([4])]) {
            try layerNorm($0[0], normalizedShape: [4], weight: $0[1], bias: $0[2])
        },
        GradientCase("layerNorm [3, 4] eps 0.1", [input([2, 3, 4])]) { try layerNorm($0[0], normalizedShape: [3, 4], weight: nil, bias: nil, eps: 0.1) },
        GradientCase("batchNorm training", [input([4, 2, 3]), input([2]), input([2])]) {
            try batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil, training: true)
        },
        GradientCase("softmax(dim: 1)", [input([2, 4])]) { try $0[0].softmax(dim: 1) },
        GradientCase("softmax(dim: 0)", [input([3, 2])]) { try $0[0].softmax(dim: 0) },
        GradientCase("logSoftmax(dim: -1)", [input([2, 4])]) { try $0[0].logSoftmax(dim: -1) },
        GradientCase("avgPool 1-d kernel 2 stride 1", [input([1, 2, 5])]) { try avgPool($0[0], kernel: [2], stride: [1]) },
        GradientCase("avgPool 2-d kernel 2, padding 1", [input([1, 1, 4, 4])]) { try avgPool($0[0], kernel: [2, 2], padding: [1]) },
        GradientCase("avgPool 3-d kernel 2", [input([1, 1, 4, 2, 2])]) { try avgPool($0[0], kernel: [2, 2, 2]) },
        GradientCase("maxPool 1-d kernel 3 stride 1", [input([1, 2, 5])]) { try maxPool($0[0], kernel: [3], stride: [1]) },
        GradientCase("maxPool 2-d kernel 2", [input([1, 2, 4, 4])]) { try maxPool($0[0], kernel: [2, 2]) },
        GradientCase("maxPool 3-d kernel 2, padding 1", [input([1, 1, 3, 2, 2])]) { try maxPool($0[0], kernel: [2, 2, 2], padding: [1]) },
        GradientCase("adaptiveAvgPool 2-d to [2, 2]", [input([1, 1, 3, 5])]) { try adaptiveAvgPool($0[0], outputSize: [2, 2]) },
        GradientCase("upsampleNearest 1-d to 7", [input([1, 2, 3])]) { try upsampleNearest($0[0], size: [7]) },
        GradientCase("upsampleNearest 2-d to [4, 6]", [input([1, 1, 2, 3])]) { try upsampleNearest($0[0], size: [4, 6]) },
        GradientCase("upsampleNearest 3-d to [2, 4, 4]", [input([1, 1, 1, 2, 2])]) { try upsampleNearest($0[0], size: [2, 4, 4]) },
        GradientCase("embedding w.r.t. weight", [input([4, 3])]) { try embedding($0[0], indices: indices([0, 2, 2, 3, 1, 2], [2, 3])) },
        GradientCase("scaledDotProductAttention", [input([1, 2, 3, 4]), input([1, 2, 5, 4]), input([1, 2, 5, 3])]) {
            try scaledDotProductAttention($0[0], $0[1], $0[2])
        },
        GradientCase("scaledDotProductAttention causal", [input([2, 3, 4]), input([2, 3, 4]), input([2, 3, 2])]) {
            try scaledDotProductAttention($0[0], $0[1], $0[2], isCausal: true)
        },
        GradientCase("scaledDotProductAttention mask and scale", [input([1, 3, 4]), input([1, 5, 4]), input([1, 5, 2])]) {
            try scaledDotProductAttention($0[0], $0[1], $0[2], mask: Tensor(attentionMask, shape: [3, 5]), scale: 0.7)
        },
        GradientCase("mseLoss mean", [input([2, 3]), input([2, 3])]) { try mseLoss($0[0], $0[1]) },
        GradientCase("mseLoss sum", [input([2, 3]), input([2, 3])]) { try mseLoss($0[0], $0[1], reduction: .sum) },
        GradientCase("mseLoss none", [input([2, 3]), input([2, 3])]) { try mseLoss($0[0], $0[1], reduction: .none) },
        GradientCase("l1Loss mean", [input([2, 3], .awayFromZero), input([2, 3], .uniform(-0.1, 0.1))]) { try l1Loss($0[0], $0[1]) },
        GradientCase("l1Loss none", [input([2, 3], .awayFromZero), input([2, 3], .uniform(-0.1, 0.1))]) {
            try l1Loss($0[0], $0[1], reduction: .none)
        },
        GradientCase("binaryCrossEntropyWithLogits w.r.t. logits and target", [input([2, 3], .uniform(-3, 3)), input([2, 3], .uniform(0, 1))]) {
            try binaryCrossEntropyWithLogits($0[0], $0[1])
        },
        GradientCase("binaryCrossEntropyWithLogits weight, positiveWeight, sum", [input([2, 3], .uniform(-3, 3))]) {
            try binaryCrossEntropyWithLogits(
                $0[0], tensor([0, 1, 1, 0, 0.3, 1], [2, 3]), weight: tensor([0.5, 2, 1], [3]), positiveWeight: tensor([3, 0.5, 1], [3]),
                reduction: .sum)
        },
    ]

    @Test(arguments: gradientCases)
    func gradientMatchesFiniteDifferences(_ c: GradientCase) throws {
        try expectGradientsMatchFiniteDifferences(c)
    }

    @Test(arguments: gradientCases)
    func valuesMatchPyTorch(_ c: GradientCase) throws {
        try expectMatchesGolden(c)
    }

    // MARK: - closed forms

    @Test func linearByHand() throws {
        let x = try tensor([1, 2, 3], [1, 3])
        let w = try tensor([1, 0, -1, 2, 1, 0.5], [2, 3])
        try expectValues(linear(x, weight: w, bias: tensor([0.25, -1])), [1 - 3 + 0.25, 2 + 2 + 1.5 - 1], shape: [1, 2])
        try expectValues(linear(x, weight: w, bias: nil), [-2, 5.5], shape: [1, 2])
    }

    @Test func convolution1dByHand() throws {
        let x = try tensor([1, 2, 3, 4, 5], [1, 1, 5])
        let w = try tensor([1, 2, 3], [1, 1, 3])
        let b = try tensor([0.5])
        // y[i] = x[i] + 2·x[i+1] + 3·x[i+2] + 0.5
        try expectValues(convolution(x, weight: w, bias: b), [14.5, 20.5, 26.5], shape: [1, 1, 3])
        // Zero padding 1, stride 2: windows (0, 1, 2), (2, 3, 4), (4, 5, 0).
        try expectValues(convolution(x, weight: w, bias: b, stride: [2], padding: [1]), [8.5, 20.5, 14.5], shape: [1, 1, 3])
        // Dilation 2: x[0] + 2·x[2] + 3·x[4].
        try expectValues(convolution(x, weight: w, bias: nil, dilation: [2]), [22], shape: [1, 1, 1])
        // Two input channels are summed: the second channel is x reversed, weighted by 1, 1, 1.
        let two = try Tensor.cat([x, x.flipped([2])], dim: 1)
        let w2 = try Tensor.cat([w, Tensor.ones([1, 1, 3], dtype: .float64)], dim: 1)
        try expectValues(convolution(two, weight: w2, bias: nil), [14 + 12, 20 + 9, 26 + 6], shape: [1, 1, 3])
    }

    @Test func convolution2dByHand() throws {
        let x = try tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3])
        let w = try tensor([1, 2, 3, 4], [1, 1, 2, 2])
        // y[i][j] = x[i][j] + 2·x[i][j+1] + 3·x[i+1][j] + 4·x[i+1][j+1] − 1
        try expectValues(convolution(x, weight: w, bias: tensor([-1])), [36, 46, 66, 76], shape: [1, 1, 2, 2])
        // Zero padding 1, stride 2: windows over rows (−1, 0) or (1, 2) and the same columns;
        // y[0][0] = 4·x[0][0], y[0][1] = 3·x[0][1] + 4·x[0][2], y[1][0] = 2·x[1][0] + 4·x[2][0],
        // y[1][1] = x[1][1] + 2·x[1][2] + 3·x[2][1] + 4·x[2][2].
        try expectValues(convolution(x, weight: w, bias: nil, stride: [2], padding: [1]), [4, 18, 36, 77], shape: [1, 1, 2, 2])
        // Groups never mix channels: channel 0 is all 1, channel 1 all 2; weights 10 and 100.
        let g = try Tensor.cat([Tensor.ones([1, 1, 2, 2], dtype: .float64), Tensor.full([1, 1, 2, 2], value: 2, dtype: .float64)], dim: 1)
        let gw = try tensor([10, 100], [2, 1, 1, 1])
        try expectValues(convolution(g, weight: gw, bias: nil, groups: 2), [10, 10, 10, 10, 200, 200, 200, 200], shape: [1, 2, 2, 2])
    }

    @Test func transposedConvolution1dByHand() throws {
        // Each input scatters its kernel at stride 2: 1·[1, 1, 1] at 0…2 and 2·[1, 1, 1] at 2…4.
        let x = try tensor([1, 2], [1, 1, 2])
        let w = try Tensor.ones([1, 1, 3], dtype: .float64)
        try expectValues(transposedConvolution(x, weight: w, bias: nil, stride: [2]), [1, 1, 3, 2, 2], shape: [1, 1, 5])
        try expectValues(transposedConvolution(x, weight: w, bias: nil, stride: [2], padding: [1], outputPadding: [1]), [1, 3, 2, 2], shape: [1, 1, 4])
    }

    @Test func convolutionRejectsMalformedArguments() throws {
        let x = try Tensor.zeros([1, 1, 4, 4], dtype: .float64)
        #expect(throws: TorchError.self) { try convolution(x, weight: Tensor.zeros([1, 1], dtype: .float64), bias: nil) }
        #expect(throws: TorchError.self) { try convolution(x, weight: Tensor.zeros([1, 1, 2, 2], dtype: .float64), bias: nil, stride: [1, 1, 1]) }
    }

    @Test func groupNormByHand() throws {
        // [1, 4, 2]: groups of two channels, each group normalised with its own mean and
        // population variance, then scaled and shifted per channel.
        let values: [Double] = [1, 2, 4, 7, -1, 0, 3, 10]
        let weight: [Double] = [1, 2, 0.5, -1]
        let bias: [Double] = [0, 1, -1, 0.5]
        let eps = 1e-5
        var expected: [Double] = []
        for group in 0..<2 {
            let members = Array(values[(4 * group)..<(4 * group + 4)])
            let mean = members.reduce(0, +) / 4
            let variance = members.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
            for (i, v) in members.enumerated() {
                let channel = 2 * group + i / 2
                expected.append((v - mean) / (variance + eps).squareRoot() * weight[channel] + bias[channel])
            }
        }
        let y = try groupNorm(tensor(values, [1, 4, 2]), groups: 2, weight: tensor(weight), bias: tensor(bias), eps: eps)
        try expectValues(y, expected, shape: [1, 4, 2], rtol: 1e-12)
        // Group 0 is [1, 2, 4, 7]: mean 3.5, variance 5.25; check the first element outright.
        #expect(Swift.abs(try y.toArray(Double.self)[0] - (1 - 3.5) / (5.25 + eps).squareRoot()) < 1e-12)
        // A large eps visibly shrinks the output, so eps is really passed through.
        let wide = try groupNorm(tensor(values, [1, 4, 2]), groups: 2, weight: nil, bias: nil, eps: 100)
        #expect(Swift.abs(try wide.toArray(Double.self)[0] - (1 - 3.5) / 105.25.squareRoot()) < 1e-12)
    }

    @Test func layerNormByHand() throws {
        let x = try tensor([1, 2, 3, 4, 6, 8], [2, 3])
        // Rows [1, 2, 3] (mean 2, var 2/3) and [4, 6, 8] (mean 6, var 8/3).
        let a = 1 / (2.0 / 3 + 1e-5).squareRoot()
        let b = 2 / (8.0 / 3 + 1e-5).squareRoot()
        try expectValues(layerNorm(x, normalizedShape: [3], weight: nil, bias: nil), [-a, 0, a, -b, 0, b], shape: [2, 3], rtol: 1e-12)
        try expectValues(
            layerNorm(x, normalizedShape: [3], weight: tensor([1, 1, 2]), bias: tensor([0, 1, 0])),
            [-a, 1, 2 * a, -b, 1, 2 * b], shape: [2, 3], rtol: 1e-12)
    }

    @Test func batchNormUpdatesRunningStatisticsInTraining() throws {
        let x = try tensor([1, 10, 3, 20], [2, 2])  // channel 0: [1, 3], channel 1: [10, 20]
        let runningMean = try Tensor.zeros([2], dtype: .float64)
        let runningVar = try Tensor.ones([2], dtype: .float64)
        _ = try batchNorm(x, weight: nil, bias: nil, runningMean: runningMean, runningVar: runningVar, training: true, momentum: 0.5)
        // PyTorch updates the running variance with the unbiased batch variance.
        try expectValues(runningMean, [1, 7.5], shape: [2])
        try expectValues(runningVar, [0.5 + 0.5 * 2, 0.5 + 0.5 * 50], shape: [2])
        let y = try batchNorm(x, weight: nil, bias: nil, runningMean: runningMean, runningVar: runningVar, training: false, eps: 0)
        try expectValues(y, [0, 2.5 / 25.5.squareRoot(), 2 / 1.5.squareRoot(), 12.5 / 25.5.squareRoot()], shape: [2, 2], rtol: 1e-12)
    }

    @Test func softmaxByHand() throws {
        let x = try tensor([1, 2, 3])
        let total: Double = Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0)
        try expectValues(x.softmax(dim: 0), [1.0, 2, 3].map { Foundation.exp($0) / total }, shape: [3], rtol: 1e-12)
        try expectValues(x.logSoftmax(dim: 0), [1.0, 2, 3].map { $0 - Foundation.log(total) }, shape: [3], rtol: 1e-12)
        // Stable for large logits.
        try expectValues(tensor([1000, 1000]).softmax(dim: 0), [0.5, 0.5], shape: [2])
    }

    @Test func poolingAndUpsamplingByHand() throws {
        let x = try tensor([1, 3, 2, 4, 8, 6], [1, 1, 6])
        try expectValues(avgPool(x, kernel: [2]), [2, 3, 7], shape: [1, 1, 3])
        try expectValues(maxPool(x, kernel: [2]), [3, 4, 8], shape: [1, 1, 3])
        try expectValues(maxPool(x, kernel: [3], stride: [1]), [3, 4, 8, 8], shape: [1, 1, 4])
        // avg_pool counts the zero padding (count_include_pad = true).
        try expectValues(avgPool(x, kernel: [2], stride: [2], padding: [1]), [0.5, 2.5, 6, 3], shape: [1, 1, 4])
        try expectValues(adaptiveAvgPool(x, outputSize: [2]), [2, 6], shape: [1, 1, 2])
        let image = try tensor([1, 2, 3, 4], [1, 1, 2, 2])
        try expectValues(avgPool(image, kernel: [2, 2]), [2.5], shape: [1, 1, 1, 1])
        try expectValues(maxPool(image, kernel: [2, 2]), [4], shape: [1, 1, 1, 1])
        try expectValues(upsampleNearest(image, size: [2, 4]), [1, 1, 2, 2, 3, 3, 4, 4], shape: [1, 1, 2, 4])
        try expectValues(upsampleNearest(tensor([1, 2], [1, 1, 2]), size: [3]), [1, 1, 2], shape: [1, 1, 3])
        #expect(throws: TorchError.self) { try avgPool(x, kernel: [2], stride: [1, 1]) }
    }

    @Test func embeddingPicksRows() throws {
        let weight = try tensor([0, 1, 10, 11, 20, 21], [3, 2])
        try expectValues(embedding(weight, indices: indices([2, 0, 2], [3])), [20, 21, 0, 1, 20, 21], shape: [3, 2])
    }

    @Test func attentionMatchesItsDefinition() throws {
        let q = try makeTensor(input([2, 3, 4]), seed: 21)
        let k = try makeTensor(input([2, 5, 4]), seed: 22)
        let v = try makeTensor(input([2, 5, 3]), seed: 23)
        try expectClose(scaledDotProductAttention(q, k, v), attentionByDefinition(q, k, v), rtol: 1e-12, atol: 1e-12)
        try expectClose(scaledDotProductAttention(q, k, v, scale: 0.3), attentionByDefinition(q, k, v, scale: 0.3), rtol: 1e-12, atol: 1e-12)
        let keep = try Tensor(attentionMask, shape: [3, 5])
        try expectClose(
            scaledDotProductAttention(q, k, v, mask: keep), attentionByDefinition(q, k, v, additiveMask: additive(keep)), rtol: 1e-12, atol: 1e-12)
    }

    @Test func causalAttentionMatchesItsDefinition() throws {
        let q = try makeTensor(input([2, 3, 4]), seed: 31)
        let k = try makeTensor(input([2, 3, 4]), seed: 32)
        let v = try makeTensor(input([2, 3, 2]), seed: 33)
        let keep = try Tensor(causalKeep, shape: [3, 3])  // lower triangle: position i sees 0…i
        let causal = try scaledDotProductAttention(q, k, v, isCausal: true)
        try expectClose(causal, attentionByDefinition(q, k, v, additiveMask: additive(keep)), rtol: 1e-12, atol: 1e-12)
        // The first query sees only the first key, so it returns the first value exactly.
        try expectClose(causal.selecting(dim: 1, index: 0), v.selecting(dim: 1, index: 0), rtol: 1e-12, atol: 1e-12)
        // And causal differs from unmasked attention.
        let plain = try scaledDotProductAttention(q, k, v)
        #expect(try !allClose(causal, plain, rtol: 1e-3, atol: 1e-3).ok)
    }

    @Test func lossesByHand() throws {
        let x = try tensor([1, -2, 0.5, 3])
        let t = try tensor([0, 0, 1, 1])
        try expectValues(mseLoss(x, t), [(1 + 4 + 0.25 + 4) / 4], shape: [])
        try expectValues(mseLoss(x, t, reduction: .sum), [9.25], shape: [])
        try expectValues(mseLoss(x, t, reduction: .none), [1, 4, 0.25, 4], shape: [4])
        try expectValues(l1Loss(x, t), [(1 + 2 + 0.5 + 2) / 4], shape: [])
        try expectValues(l1Loss(x, t, reduction: .sum), [5.5], shape: [])
        try expectValues(l1Loss(x, t, reduction: .none), [1, 2, 0.5, 2], shape: [4])
        func bce(_ z: Double, _ y: Double, _ w: Double = 1, _ pw: Double = 1) -> Double {
            let s = 1 / (1 + Foundation.exp(-z))
            return -w * (pw * y * Foundation.log(s) + (1 - y) * Foundation.log(1 - s))
        }
        let xs: [Double] = [1, -2, 0.5, 3]
        let ts: [Double] = [0, 0, 1, 1]
        let plain = zip(xs, ts).map { bce($0, $1) }
        try expectValues(binaryCrossEntropyWithLogits(x, t, reduction: .none), plain, shape: [4], rtol: 1e-12)
        try expectValues(binaryCrossEntropyWithLogits(x, t), [plain.reduce(0, +) / 4], shape: [], rtol: 1e-12)
        let weights: [Double] = [2, 1, 0.5, 1]
        let weighted = (0..<4).map { bce(xs[$0], ts[$0], weights[$0], 3) }
        try expectValues(
            binaryCrossEntropyWithLogits(x, t, weight: tensor(weights), positiveWeight: tensor([3]), reduction: .sum),
            [weighted.reduce(0, +)], shape: [], rtol: 1e-12)
        // Stable where log(sigmoid) would underflow.
        try expectValues(binaryCrossEntropyWithLogits(tensor([-800]), tensor([1]), reduction: .none), [800], shape: [1])
    }

    // MARK: - dropout

    @Test func dropoutInEvalModeIsTheIdentity() throws {
        let x = try makeTensor(input([4, 5]), seed: 3)
        let y = try dropout(x, p: 0.5, training: false, generator: Generator(seed: 1))
        #expect(try y.toArray(Double.self) == x.toArray(Double.self))
    }

    @Test(arguments: [0.1, 0.3, 0.7])
    func dropoutInTrainingZeroesAboutPAndScalesTheRest(p: Double) throws {
        let n = 100_000
        let x = try Tensor.full([n], value: 2, dtype: .float64)
        let y = try dropout(x, p: p, training: true, generator: Generator(seed: 42))
        let values = try y.toArray(Double.self)
        let zeros = values.filter { $0 == 0 }.count
        // Binomial(n, p): the zero fraction lies within 4 standard errors of p.
        let standardError = (p * (1 - p) / Double(n)).squareRoot()
        #expect(Swift.abs(Double(zeros) / Double(n) - p) < 4 * standardError)
        let kept = values.filter { $0 != 0 }
        #expect(kept.allSatisfy { Swift.abs($0 - 2 / (1 - p)) < 1e-12 }, "kept values are scaled by 1/(1 − p)")
        // Same generator seed, same mask.
        let again = try dropout(x, p: p, training: true, generator: Generator(seed: 42))
        #expect(try again.toArray(Double.self) == values)
    }

    @Test func dropoutEdgeProbabilities() throws {
        let x = try makeTensor(input([10]), seed: 3)
        let g = try Generator(seed: 0)
        #expect(try dropout(x, p: 0, training: true, generator: g).toArray(Double.self) == x.toArray(Double.self))
        #expect(try dropout(x, p: 1, training: true, generator: g).toArray(Double.self) == [Double](repeating: 0, count: 10))
        #expect(throws: TorchError.self) { try dropout(x, p: 1.5, training: true, generator: g) }
    }

    @Test func dropoutGradientUsesTheSameMask() throws {
        let x = try Tensor.ones([1000], dtype: .float64).requiringGrad()
        let y = try dropout(x, p: 0.25, training: true, generator: Generator(seed: 9))
        try y.sum().backward()
        let g = try #require(try x.grad)
        #expect(try g.toArray(Double.self) == y.detached().toArray(Double.self))
    }
}
