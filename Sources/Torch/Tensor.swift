import CTorch

/// An n-dimensional array on a device, backed by one LibTorch `at::Tensor`.
///
/// A `Tensor` owns exactly one shim handle and frees it in `deinit`. Operations return new
/// tensors (LibTorch may share storage, as views do); every operation that calls LibTorch
/// `throws`, since any of them can hit an out-of-memory or a device assert.
/// Not `Sendable`: a run lives on one task, and parallelism is LibTorch's.
public final class Tensor {
    let handle: OpaquePointer

    /// Takes ownership of a +1 shim handle.
    init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        ct_tensor_free(handle)
    }

    // MARK: metadata (never throws)

    /// Number of dimensions.
    public var ndim: Int { Int(ct_tensor_ndim(handle)) }

    /// Size of every dimension.
    public var shape: [Int] {
        let n = ndim
        guard n > 0 else { return [] }
        var sizes = [Int64](repeating: 0, count: n)
        ct_tensor_shape(handle, &sizes, Int64(n))
        return sizes.map { Int($0) }
    }

    /// Size of one dimension; negative indices count from the end. An index outside
    /// `-ndim..<ndim` is a programmer error and traps.
    public func dim(_ index: Int) -> Int {
        let s = shape
        return s[index < 0 ? s.count + index : index]
    }

    /// Total number of elements.
    public var elementCount: Int { Int(ct_tensor_numel(handle)) }

    public var dtype: DType {
        // The shim reports -1 for dtypes CaloForge never creates; treat those as a broken invariant.
        guard let value = DType(rawValue: ct_tensor_dtype(handle)) else {
            preconditionFailure("tensor has a dtype outside DType")
        }
        return value
    }

    public var device: Device {
        var type: Int32 = 0
        var index: Int32 = 0
        ct_tensor_device(handle, &type, &index)
        return type == CT_DEVICE_CPU ? .cpu : .cuda(Int(index))
    }

    public var requiresGrad: Bool { ct_tensor_requires_grad(handle) }
    public var isContiguous: Bool { ct_tensor_is_contiguous(handle) }
    public var isLeaf: Bool { ct_tensor_is_leaf(handle) }

    /// Number of tensor handles alive in the process (for leak tests).
    public static var liveCount: Int { Int(ct_live_tensor_count()) }
}

// MARK: - the one place that turns shim statuses into errors

/// Throws the `TorchError` for a failed shim status, naming the op and its input shapes.
@inline(__always)
func check(_ status: ct_status, _ op: @autoclosure () -> String, _ inputs: [Tensor] = []) throws {
    if status == CT_OK { return }
    let message = String(cString: ct_last_error())
    let shapes = inputs.map(\.shape)
    if status == CT_OUT_OF_MEMORY {
        throw TorchError.outOfMemory(op: op(), shapes: shapes, message: message)
    }
    throw TorchError.operationFailed(op: op(), shapes: shapes, message: message)
}

extension Tensor {
    /// Calls a shim function that produces one tensor and wraps the result.
    @inline(__always)
    static func make(
        _ op: @autoclosure () -> String, _ inputs: [Tensor],
        _ body: (UnsafeMutablePointer<OpaquePointer?>) -> ct_status
    ) throws -> Tensor {
        var out: OpaquePointer?
        try check(body(&out), op(), inputs)
        guard let out else { preconditionFailure("shim returned CT_OK without a tensor for \(op())") }
        return Tensor(owning: out)
    }

    /// Calls a shim function that produces two tensors (values, indices).
    static func makePair(
        _ op: @autoclosure () -> String, _ inputs: [Tensor],
        _ body: (UnsafeMutablePointer<OpaquePointer?>, UnsafeMutablePointer<OpaquePointer?>) -> ct_status
    ) throws -> (Tensor, Tensor) {
        var a: OpaquePointer?
        var b: OpaquePointer?
        try check(body(&a, &b), op(), inputs)
        guard let a, let b else { preconditionFailure("shim returned CT_OK without tensors for \(op())") }
        return (Tensor(owning: a), Tensor(owning: b))
    }

    /// Calls a shim function that produces a list of tensors into a buffer of `capacity` slots.
    static func makeList(
        _ op: @autoclosure () -> String, _ inputs: [Tensor], capacity: Int,
        _ body: (UnsafeMutablePointer<OpaquePointer?>, Int64, UnsafeMutablePointer<Int64>) -> ct_status
    ) throws -> [Tensor] {
        var slots = [OpaquePointer?](repeating: nil, count: Swift.max(capacity, 1))
        var count: Int64 = 0
        let status = slots.withUnsafeMutableBufferPointer { body($0.baseAddress!, Int64($0.count), &count) }
        try check(status, op(), inputs)
        return slots.prefix(Int(count)).map { Tensor(owning: $0!) }
    }

    /// Runs an in-place shim update.
    @inline(__always)
    func inPlace(_ op: @autoclosure () -> String, _ inputs: [Tensor] = [], _ status: ct_status) throws {
        try check(status, op(), [self] + inputs)
    }
}

/// Passes `[Int]` to the shim as `int64_t*` without copying (Int is 64-bit on every supported platform).
@inline(__always)
func withInt64s<R>(_ values: [Int], _ body: (UnsafePointer<Int64>?, Int64) throws -> R) rethrows -> R {
    try values.withUnsafeBufferPointer { buffer in
        try buffer.withMemoryRebound(to: Int64.self) { try body($0.baseAddress, Int64($0.count)) }
    }
}

/// Passes a list of tensors to the shim as `ct_tensor*`.
@inline(__always)
func withHandles<R>(_ tensors: [Tensor], _ body: (UnsafePointer<OpaquePointer?>?, Int64) throws -> R) rethrows -> R {
    let handles: [OpaquePointer?] = tensors.map { $0.handle }
    return try handles.withUnsafeBufferPointer { try body($0.baseAddress, Int64($0.count)) }
}

extension Optional where Wrapped == Tensor {
    /// The borrowed handle, or NULL.
    var handleOrNull: OpaquePointer? { self?.handle }
}
