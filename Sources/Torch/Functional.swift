import CTorch

/// Loss reductions, as PyTorch's `reduction=` argument.
public enum Reduction: Int32, Sendable {
    case none = 0
    case mean = 1
    case sum = 2
}

/// y = x·Wᵀ + b, with `weight` `[out, in]`.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
    try Tensor.make("linear", [x, weight]) { ct_nn_linear(x.handle, weight.handle, bias.handleOrNull, $0) }
}

/// N-d convolution, N = weight.ndim − 2 (1, 2 or 3). `weight` is `[out, in/groups, k…]`.
/// Single-element lists broadcast to every spatial dimension.
public func convolution(
    _ x: Tensor, weight: Tensor, bias: Tensor?, stride: [Int] = [1], padding: [Int] = [0],
    dilation: [Int] = [1], groups: Int = 1
) throws -> Tensor {
    try convolutionCall("conv", x, weight, bias, stride, padding, dilation, transposed: false, outputPadding: [0], groups)
}

/// N-d transposed convolution. `weight` is `[in, out/groups, k…]`.
public func transposedConvolution(
    _ x: Tensor, weight: Tensor, bias: Tensor?, stride: [Int] = [1], padding: [Int] = [0],
    outputPadding: [Int] = [0], dilation: [Int] = [1], groups: Int = 1
) throws -> Tensor {
    try convolutionCall("conv_transpose", x, weight, bias, stride, padding, dilation, transposed: true, outputPadding: outputPadding, groups)
}

private func convolutionCall(
    _ op: String, _ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ stride: [Int], _ padding: [Int],
    _ dilation: [Int], transposed: Bool, outputPadding: [Int], _ groups: Int
) throws -> Tensor {
    let n = weight.ndim - 2
    guard (1...3).contains(n) else {
        throw TorchError.invalidArgument("\(op): weight must have 3 to 5 dimensions, got shape \(weight.shape)")
    }
    func expand(_ v: [Int], _ name: String) throws -> [Int] {
        if v.count == n { return v }
        if v.count == 1 { return Array(repeating: v[0], count: n) }
        throw TorchError.invalidArgument("\(op)\(n)d: \(name) has \(v.count) entries, expected 1 or \(n)")
    }
    let s = try expand(stride, "stride"), p = try expand(padding, "padding")
    let d = try expand(dilation, "dilation"), o = try expand(outputPadding, "outputPadding")
    return try Tensor.make("\(op)\(n)d", [x, weight]) { out in
        withInt64s(s) { sp, _ in
            withInt64s(p) { pp, _ in
                withInt64s(d) { dp, _ in
                    withInt64s(o) { op, _ in
                        ct_nn_convolution(x.handle, weight.handle, bias.handleOrNull, sp, pp, dp, Int64(n), transposed, op, Int64(groups), out)
                    }
                }
            }
        }
    }
}

/// Group normalisation over `[N, C, …]` with `groups` groups of channels.
public func groupNorm(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Double = 1e-5) throws -> Tensor {
    try Tensor.make("group_norm", [x]) { ct_nn_group_norm(x.handle, Int64(groups), weight.handleOrNull, bias.handleOrNull, eps, $0) }
}

/// Layer normalisation over the trailing `normalizedShape` dimensions.
public func layerNorm(_ x: Tensor, normalizedShape: [Int], weight: Tensor?, bias: Tensor?, eps: Double = 1e-5) throws -> Tensor {
    try Tensor.make("layer_norm", [x]) { out in
        withInt64s(normalizedShape) { ct_nn_layer_norm(x.handle, $0, $1, weight.handleOrNull, bias.handleOrNull, eps, out) }
    }
}

/// Batch normalisation; in training mode updates the running statistics in place.
public func batchNorm(
    _ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
    training: Bool, momentum: Double = 0.1, eps: Double = 1e-5
) throws -> Tensor {
    try Tensor.make("batch_norm", [x]) {
        ct_nn_batch_norm(x.handle, weight.handleOrNull, bias.handleOrNull, runningMean.handleOrNull, runningVar.handleOrNull, training, momentum, eps, $0)
    }
}

/// Inverted dropout: zeroes each element with probability `p` and scales the rest by 1/(1−p).
public func dropout(_ x: Tensor, p: Double, training: Bool, generator: Generator) throws -> Tensor {
    try Tensor.make("dropout", [x]) { ct_nn_dropout(x.handle, p, training, generator.handle, $0) }
}

extension Tensor {
    public func softmax(dim: Int) throws -> Tensor { try Tensor.make("softmax", [self]) { ct_nn_softmax(handle, Int64(dim), $0) } }
    public func logSoftmax(dim: Int) throws -> Tensor { try Tensor.make("log_softmax", [self]) { ct_nn_log_softmax(handle, Int64(dim), $0) } }
}

private func pooling(
    _ op: String, _ x: Tensor, _ kernel: [Int], _ stride: [Int]?, _ padding: [Int],
    _ fn: (OpaquePointer?, UnsafePointer<Int64>?, UnsafePointer<Int64>?, UnsafePointer<Int64>?, Int64, UnsafeMutablePointer<OpaquePointer?>?) -> ct_status
) throws -> Tensor {
    let n = kernel.count
    let stride = stride ?? kernel
    let padding = padding.count == 1 ? Array(repeating: padding[0], count: n) : padding
    guard stride.count == n, padding.count == n else {
        throw TorchError.invalidArgument("\(op): kernel, stride and padding need \(n) entries each")
    }
    return try Tensor.make("\(op)\(n)d", [x]) { out in
        withInt64s(kernel) { k, _ in withInt64s(stride) { s, _ in withInt64s(padding) { p, _ in fn(x.handle, k, s, p, Int64(n), out) } } }
    }
}

/// Average pooling over the last `kernel.count` dimensions (stride defaults to the kernel).
public func avgPool(_ x: Tensor, kernel: [Int], stride: [Int]? = nil, padding: [Int] = [0]) throws -> Tensor {
    try pooling("avg_pool", x, kernel, stride, padding, ct_nn_avg_pool)
}

/// Max pooling over the last `kernel.count` dimensions (stride defaults to the kernel).
public func maxPool(_ x: Tensor, kernel: [Int], stride: [Int]? = nil, padding: [Int] = [0]) throws -> Tensor {
    try pooling("max_pool", x, kernel, stride, padding, ct_nn_max_pool)
}

/// Adaptive average pooling to `outputSize` over the last `outputSize.count` dimensions.
public func adaptiveAvgPool(_ x: Tensor, outputSize: [Int]) throws -> Tensor {
    try Tensor.make("adaptive_avg_pool", [x]) { out in withInt64s(outputSize) { ct_nn_adaptive_avg_pool(x.handle, $0, $1, out) } }
}

/// Nearest-neighbour upsampling of the last `size.count` dimensions to `size`.
public func upsampleNearest(_ x: Tensor, size: [Int]) throws -> Tensor {
    try Tensor.make("upsample_nearest", [x]) { out in withInt64s(size) { ct_nn_upsample_nearest(x.handle, $0, $1, out) } }
}

/// Rows of `weight` `[count, dim]` picked by integer `indices`.
public func embedding(_ weight: Tensor, indices: Tensor) throws -> Tensor {
    try Tensor.make("embedding", [weight, indices]) { ct_nn_embedding(weight.handle, indices.handle, $0) }
}

/// softmax(q·kᵀ·scale + mask)·v over `[…, L, E]` queries and `[…, S, E]` keys/values.
/// `scale` defaults to 1/√E; a boolean `mask` keeps positions where true.
public func scaledDotProductAttention(
    _ q: Tensor, _ k: Tensor, _ v: Tensor, mask: Tensor? = nil, isCausal: Bool = false, scale: Double? = nil
) throws -> Tensor {
    try Tensor.make("scaled_dot_product_attention", [q, k, v]) {
        ct_nn_scaled_dot_product_attention(q.handle, k.handle, v.handle, mask.handleOrNull, isCausal, scale ?? 0, $0)
    }
}

public func mseLoss(_ x: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
    try Tensor.make("mse_loss", [x, target]) { ct_nn_mse_loss(x.handle, target.handle, reduction.rawValue, $0) }
}

public func l1Loss(_ x: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
    try Tensor.make("l1_loss", [x, target]) { ct_nn_l1_loss(x.handle, target.handle, reduction.rawValue, $0) }
}

/// Binary cross-entropy on logits, numerically stable (PyTorch's BCEWithLogitsLoss).
public func binaryCrossEntropyWithLogits(
    _ logits: Tensor, _ target: Tensor, weight: Tensor? = nil, positiveWeight: Tensor? = nil, reduction: Reduction = .mean
) throws -> Tensor {
    try Tensor.make("binary_cross_entropy_with_logits", [logits, target]) {
        ct_nn_bce_with_logits(logits.handle, target.handle, weight.handleOrNull, positiveWeight.handleOrNull, reduction.rawValue, $0)
    }
}
