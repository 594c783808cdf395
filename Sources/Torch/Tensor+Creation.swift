import CTorch

extension Tensor {
    /// Copies Swift values into a new CPU tensor of the given shape (`[values.count]` when nil).
    public convenience init<T: TensorScalar>(_ values: [T], shape: [Int]? = nil) throws {
        let shape = shape ?? [values.count]
        let count = shape.reduce(1, *)
        guard count == values.count else {
            throw TorchError.invalidArgument("Tensor(_:shape:): \(values.count) values do not fill shape \(shape)")
        }
        var out: OpaquePointer?
        let status = values.withUnsafeBytes { bytes in
            withInt64s(shape) { s, n in
                ct_tensor_from_blob(bytes.baseAddress, Int64(bytes.count), s, n, T.dtype.rawValue, &out)
            }
        }
        try check(status, "from_blob")
        self.init(owning: out!)
    }

    /// A 0-dimensional tensor holding `value`.
    public convenience init(scalar value: Double, dtype: DType = .float32, device: Device? = nil) throws {
        let t = try Tensor.full([], value: value, dtype: dtype, device: device)
        var out: OpaquePointer?
        try check(ct_tensor_shallow_copy(t.handle, &out), "scalar")
        self.init(owning: out!)
    }

    /// Builds a tensor from raw little-endian bytes of the given dtype (used by the safetensors codec).
    public static func fromBytes(_ bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) throws -> Tensor {
        try make("from_blob", []) { out in
            withInt64s(shape) { s, n in
                ct_tensor_from_blob(bytes.baseAddress, Int64(bytes.count), s, n, dtype.rawValue, out)
            }
        }
    }

    /// The elements, converted to `T`, in row-major order.
    public func toArray<T: TensorScalar>(_ type: T.Type = T.self) throws -> [T] {
        let source = dtype == T.dtype ? self : try to(dtype: T.dtype)
        let count = source.elementCount
        var status: ct_status = ct_status(CT_OK)
        let result = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = ct_tensor_copy_to_buffer(
                source.handle, UnsafeMutableRawPointer(buffer.baseAddress), Int64(count * T.dtype.elementSize))
            initialized = status == CT_OK ? count : 0
        }
        try check(status, "copy_to_buffer", [self])
        return result
    }

    /// The elements' raw bytes (contiguous, row-major, on the CPU).
    public func rawBytes() throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: elementCount * dtype.elementSize)
        let status = bytes.withUnsafeMutableBytes { ct_tensor_copy_to_buffer(handle, $0.baseAddress, Int64($0.count)) }
        try check(status, "copy_to_buffer", [self])
        return bytes
    }

    /// The value of a one-element tensor as a Double.
    public func item() throws -> Double {
        var value = 0.0
        try check(ct_tensor_item_double(handle, &value), "item", [self])
        return value
    }

    /// The value of a one-element tensor as an Int.
    public func itemInt() throws -> Int {
        var value: Int64 = 0
        try check(ct_tensor_item_int64(handle, &value), "item", [self])
        return Int(value)
    }

    // MARK: factories

    public static func empty(_ shape: [Int], dtype: DType = .float32, device: Device? = nil) throws -> Tensor {
        let device = device ?? .current
        try device.checkAvailable()
        return try make("empty", []) { out in
            withInt64s(shape) { s, n in ct_tensor_empty(s, n, dtype.rawValue, device.typeCode, device.indexCode, out) }
        }
    }

    public static func full(_ shape: [Int], value: Double, dtype: DType = .float32, device: Device? = nil) throws -> Tensor {
        let device = device ?? .current
        try device.checkAvailable()
        return try make("full", []) { out in
            withInt64s(shape) { s, n in
                ct_tensor_full(s, n, value, dtype.rawValue, device.typeCode, device.indexCode, out)
            }
        }
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device? = nil) throws -> Tensor {
        try full(shape, value: 0, dtype: dtype, device: device)
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device? = nil) throws -> Tensor {
        try full(shape, value: 1, dtype: dtype, device: device)
    }

    /// Values `start, start + step, …` below `end`.
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float32, device: Device? = nil) throws -> Tensor {
        let device = device ?? .current
        try device.checkAvailable()
        return try make("arange", []) { ct_tensor_arange(start, end, step, dtype.rawValue, device.typeCode, device.indexCode, $0) }
    }

    /// `count` evenly spaced values from `start` to `end` inclusive.
    public static func linspace(_ start: Double, _ end: Double, count: Int, dtype: DType = .float32, device: Device? = nil) throws -> Tensor {
        let device = device ?? .current
        try device.checkAvailable()
        return try make("linspace", []) {
            ct_tensor_linspace(start, end, Int64(count), dtype.rawValue, device.typeCode, device.indexCode, $0)
        }
    }

    /// The `n × m` identity (`m` defaults to `n`).
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32, device: Device? = nil) throws -> Tensor {
        let device = device ?? .current
        try device.checkAvailable()
        return try make("eye", []) { ct_tensor_eye(Int64(n), Int64(m ?? n), dtype.rawValue, device.typeCode, device.indexCode, $0) }
    }

    public func zerosLike() throws -> Tensor { try Tensor.zeros(shape, dtype: dtype, device: device) }
    public func onesLike() throws -> Tensor { try Tensor.ones(shape, dtype: dtype, device: device) }
    public func fullLike(_ value: Double) throws -> Tensor { try Tensor.full(shape, value: value, dtype: dtype, device: device) }

    // MARK: conversion

    /// Converts to another dtype and/or device (a no-op copy-free handle when nothing changes).
    public func to(dtype: DType? = nil, device: Device? = nil) throws -> Tensor {
        if let device { try device.checkAvailable() }
        return try Tensor.make("to", [self]) {
            ct_tensor_to(handle, dtype?.rawValue ?? -1, device?.typeCode ?? -1, device?.indexCode ?? 0, $0)
        }
    }

    public func to(_ device: Device) throws -> Tensor { try to(dtype: nil, device: device) }

    /// A deep copy with its own storage.
    public func cloned() throws -> Tensor { try Tensor.make("clone", [self]) { ct_tensor_clone(handle, $0) } }

    /// A second handle to the same tensor (same storage, same autograd identity).
    public func alias() throws -> Tensor { try Tensor.make("alias", [self]) { ct_tensor_shallow_copy(handle, $0) } }
}
