import CTorch

extension Tensor {
    public func abs() throws -> Tensor { try unary("abs", ct_tensor_abs) }
    public func ceil() throws -> Tensor { try unary("ceil", ct_tensor_ceil) }
    public func cos() throws -> Tensor { try unary("cos", ct_tensor_cos) }
    public func cosh() throws -> Tensor { try unary("cosh", ct_tensor_cosh) }
    public func erf() throws -> Tensor { try unary("erf", ct_tensor_erf) }
    public func erfinv() throws -> Tensor { try unary("erfinv", ct_tensor_erfinv) }
    public func exp() throws -> Tensor { try unary("exp", ct_tensor_exp) }
    public func expm1() throws -> Tensor { try unary("expm1", ct_tensor_expm1) }
    public func floor() throws -> Tensor { try unary("floor", ct_tensor_floor) }
    public func isFinite() throws -> Tensor { try unary("isfinite", ct_tensor_isfinite) }
    public func isNaN() throws -> Tensor { try unary("isnan", ct_tensor_isnan) }
    public func log() throws -> Tensor { try unary("log", ct_tensor_log) }
    public func log10() throws -> Tensor { try unary("log10", ct_tensor_log10) }
    public func log1p() throws -> Tensor { try unary("log1p", ct_tensor_log1p) }
    public func log2() throws -> Tensor { try unary("log2", ct_tensor_log2) }
    public func reciprocal() throws -> Tensor { try unary("reciprocal", ct_tensor_reciprocal) }
    public func round() throws -> Tensor { try unary("round", ct_tensor_round) }
    public func rsqrt() throws -> Tensor { try unary("rsqrt", ct_tensor_rsqrt) }
    public func sigmoid() throws -> Tensor { try unary("sigmoid", ct_tensor_sigmoid) }
    public func sign() throws -> Tensor { try unary("sign", ct_tensor_sign) }
    public func sin() throws -> Tensor { try unary("sin", ct_tensor_sin) }
    public func sinh() throws -> Tensor { try unary("sinh", ct_tensor_sinh) }
    public func sqrt() throws -> Tensor { try unary("sqrt", ct_tensor_sqrt) }
    public func square() throws -> Tensor { try unary("square", ct_tensor_square) }
    public func tan() throws -> Tensor { try unary("tan", ct_tensor_tan) }
    public func tanh() throws -> Tensor { try unary("tanh", ct_tensor_tanh) }
    public func trunc() throws -> Tensor { try unary("trunc", ct_tensor_trunc) }

    // Activations.
    public func relu() throws -> Tensor { try unary("relu", ct_tensor_relu) }
    public func silu() throws -> Tensor { try unary("silu", ct_tensor_silu) }
    /// GELU; `approximateTanh` selects PyTorch's `approximate="tanh"` form.
    public func gelu(approximateTanh: Bool = false) throws -> Tensor {
        approximateTanh ? try unary("gelu", ct_tensor_gelu_tanh) : try unary("gelu", ct_tensor_gelu)
    }
    public func leakyRelu(slope: Double = 0.01) throws -> Tensor {
        try Tensor.make("leaky_relu", [self]) { ct_tensor_leaky_relu(handle, slope, $0) }
    }
    /// softplus(x) = log(1 + exp(βx)) / β, linear above `threshold`.
    public func softplus(beta: Double = 1, threshold: Double = 20) throws -> Tensor {
        try Tensor.make("softplus", [self]) { ct_tensor_softplus(handle, beta, threshold, $0) }
    }

    /// logit(x) = log(x / (1 − x)), with x clamped to [eps, 1 − eps] when `eps` is given.
    public func logit(eps: Double? = nil) throws -> Tensor {
        try Tensor.make("logit", [self]) { ct_tensor_logit(handle, eps ?? -1, $0) }
    }

    /// Clamps to [min, max]; either bound may be omitted.
    public func clamped(min: Double? = nil, max: Double? = nil) throws -> Tensor {
        try Tensor.make("clamp", [self]) { ct_tensor_clamp(handle, min ?? 0, min != nil, max ?? 0, max != nil, $0) }
    }

    /// Clamps element-wise to tensor bounds.
    public func clamped(min: Tensor?, max: Tensor?) throws -> Tensor {
        try Tensor.make("clamp", [self]) { ct_tensor_clamp_tensor(handle, min.handleOrNull, max.handleOrNull, $0) }
    }

    /// Replaces elements where `mask` is true by `value`.
    public func maskedFill(_ mask: Tensor, _ value: Double) throws -> Tensor {
        try Tensor.make("masked_fill", [self, mask]) { ct_tensor_masked_fill(handle, mask.handle, value, $0) }
    }

    /// self + weight·(end − self).
    public func lerp(_ end: Tensor, weight: Double) throws -> Tensor {
        try Tensor.make("lerp", [self, end]) { ct_tensor_lerp(handle, end.handle, weight, $0) }
    }
}

public func abs(_ x: Tensor) throws -> Tensor { try x.abs() }
public func exp(_ x: Tensor) throws -> Tensor { try x.exp() }
public func expm1(_ x: Tensor) throws -> Tensor { try x.expm1() }
public func log(_ x: Tensor) throws -> Tensor { try x.log() }
public func log1p(_ x: Tensor) throws -> Tensor { try x.log1p() }
public func sqrt(_ x: Tensor) throws -> Tensor { try x.sqrt() }
public func rsqrt(_ x: Tensor) throws -> Tensor { try x.rsqrt() }
public func sin(_ x: Tensor) throws -> Tensor { try x.sin() }
public func cos(_ x: Tensor) throws -> Tensor { try x.cos() }
public func tanh(_ x: Tensor) throws -> Tensor { try x.tanh() }
public func sigmoid(_ x: Tensor) throws -> Tensor { try x.sigmoid() }
public func floor(_ x: Tensor) throws -> Tensor { try x.floor() }
public func round(_ x: Tensor) throws -> Tensor { try x.round() }
