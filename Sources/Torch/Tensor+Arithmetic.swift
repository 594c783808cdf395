import CTorch

// Operators take exactly three forms each (Tensor∘Tensor, Tensor∘Double, Double∘Tensor): more
// overloads slow the type checker and the reader. Scalars follow PyTorch's Python-scalar promotion:
// a floating-point tensor keeps its dtype; an integer or bool tensor combined with a Double becomes
// float32 (PyTorch's default dtype).

typealias BinaryFunction = (OpaquePointer?, OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?) -> ct_status
typealias ScalarFunction = (OpaquePointer?, Double, UnsafeMutablePointer<OpaquePointer?>?) -> ct_status
typealias UnaryFunction = (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?) -> ct_status

extension Tensor {
    @inline(__always)
    func binary(_ op: StaticString, _ other: Tensor, _ fn: BinaryFunction) throws -> Tensor {
        try Tensor.make("\(op)", [self, other]) { fn(handle, other.handle, $0) }
    }

    @inline(__always)
    func scalar(_ op: StaticString, _ value: Double, _ fn: ScalarFunction) throws -> Tensor {
        try Tensor.make("\(op)", [self]) { fn(handle, value, $0) }
    }

    @inline(__always)
    func unary(_ op: StaticString, _ fn: UnaryFunction) throws -> Tensor {
        try Tensor.make("\(op)", [self]) { fn(handle, $0) }
    }

    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary("add", b, ct_tensor_add) }
    public static func + (a: Tensor, b: Double) throws -> Tensor { try a.scalar("add", b, ct_tensor_add_scalar) }
    public static func + (a: Double, b: Tensor) throws -> Tensor { try b.scalar("add", a, ct_tensor_add_scalar) }

    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary("sub", b, ct_tensor_sub) }
    public static func - (a: Tensor, b: Double) throws -> Tensor { try a.scalar("sub", b, ct_tensor_sub_scalar) }
    public static func - (a: Double, b: Tensor) throws -> Tensor { try b.scalar("rsub", a, ct_tensor_rsub_scalar) }

    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary("mul", b, ct_tensor_mul) }
    public static func * (a: Tensor, b: Double) throws -> Tensor { try a.scalar("mul", b, ct_tensor_mul_scalar) }
    public static func * (a: Double, b: Tensor) throws -> Tensor { try b.scalar("mul", a, ct_tensor_mul_scalar) }

    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary("div", b, ct_tensor_div) }
    public static func / (a: Tensor, b: Double) throws -> Tensor { try a.scalar("div", b, ct_tensor_div_scalar) }
    public static func / (a: Double, b: Tensor) throws -> Tensor { try b.scalar("rdiv", a, ct_tensor_rdiv_scalar) }

    public static prefix func - (a: Tensor) throws -> Tensor { try a.unary("neg", ct_tensor_neg) }

    // Element-wise comparisons use the SIMD dotted operators; `==` never returns a tensor.
    public static func .== (a: Tensor, b: Tensor) throws -> Tensor { try a.binary("eq", b, ct_tensor_eq) }
    public static func .== (a: Tensor, b: Double) throws -> Tensor { try a.scalar("eq", b, ct_tensor_eq_scalar) }
    public static func .!= (a: Tensor, b: Tensor) throws -> Tensor { try a.binary("ne", b, ct_tensor_ne) }
    public static func .!= (a: Tensor, b: Double) throws -> Tensor { try a.scalar("ne", b, ct_tensor_ne_scalar) }
    public static func .< (a: Tensor, b: Tensor) throws -> Tensor { try a.binary("lt", b, ct_tensor_lt) }
    public static func .< (a: Tensor, b: Double) throws -> Tensor { try a.scalar("lt", b, ct_tensor_lt_scalar) }
    public static func .<= (a: Tensor, b: Tensor) throws -> Tensor { try a.binary("le", b, ct_tensor_le) }
    public static func .<= (a: Tensor, b: Double) throws -> Tensor { try a.scalar("le", b, ct_tensor_le_scalar) }
    public static func .> (a: Tensor, b: Tensor) throws -> Tensor { try a.binary("gt", b, ct_tensor_gt) }
    public static func .> (a: Tensor, b: Double) throws -> Tensor { try a.scalar("gt", b, ct_tensor_gt_scalar) }
    public static func .>= (a: Tensor, b: Tensor) throws -> Tensor { try a.binary("ge", b, ct_tensor_ge) }
    public static func .>= (a: Tensor, b: Double) throws -> Tensor { try a.scalar("ge", b, ct_tensor_ge_scalar) }

    /// Element-wise power `self^exponent`.
    public func pow(_ exponent: Tensor) throws -> Tensor { try binary("pow", exponent, ct_tensor_pow) }
    public func pow(_ exponent: Double) throws -> Tensor { try scalar("pow", exponent, ct_tensor_pow_scalar) }
    /// `base^self` element-wise.
    public func exponentiating(base: Double) throws -> Tensor { try scalar("rpow", base, ct_tensor_rpow_scalar) }
    public func remainder(_ divisor: Double) throws -> Tensor { try scalar("remainder", divisor, ct_tensor_remainder_scalar) }
    public func remainder(_ divisor: Tensor) throws -> Tensor { try binary("remainder", divisor, ct_tensor_remainder) }
    public func fmod(_ divisor: Double) throws -> Tensor { try scalar("fmod", divisor, ct_tensor_fmod_scalar) }
    public func atan2(_ other: Tensor) throws -> Tensor { try binary("atan2", other, ct_tensor_atan2) }
    public func logicalAnd(_ other: Tensor) throws -> Tensor { try binary("logical_and", other, ct_tensor_logical_and) }
    public func logicalOr(_ other: Tensor) throws -> Tensor { try binary("logical_or", other, ct_tensor_logical_or) }
    public func logicalXor(_ other: Tensor) throws -> Tensor { try binary("logical_xor", other, ct_tensor_logical_xor) }
    public func logicalNot() throws -> Tensor { try unary("logical_not", ct_tensor_logical_not) }
}

/// Element-wise maximum of two tensors.
public func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor { try a.binary("maximum", b, ct_tensor_maximum) }
/// Element-wise minimum of two tensors.
public func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor { try a.binary("minimum", b, ct_tensor_minimum) }
/// `condition ? a : b` element-wise.
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    try Tensor.make("where", [condition, a, b]) { ct_tensor_where(condition.handle, a.handle, b.handle, $0) }
}
public func pow(_ base: Tensor, _ exponent: Double) throws -> Tensor { try base.pow(exponent) }
public func pow(_ base: Tensor, _ exponent: Tensor) throws -> Tensor { try base.pow(exponent) }
