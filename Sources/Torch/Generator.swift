import CTorch

/// A seeded random-number generator on one device. All randomness in CaloForge flows through an
/// explicit `Generator`; library code never seeds a global one.
public final class Generator {
    let handle: OpaquePointer
    public let device: Device

    /// A new generator (CPU: LibTorch's Philox/MT19937 CPU generator; CUDA: Philox) seeded with `seed`.
    public init(seed: UInt64, device: Device = .cpu) throws {
        try device.checkAvailable()
        var out: OpaquePointer?
        try check(ct_generator_new(device.typeCode, device.indexCode, seed, &out), "generator_new")
        self.handle = out!
        self.device = device
    }

    deinit { ct_generator_free(handle) }

    public func reseed(_ seed: UInt64) throws {
        try check(ct_generator_set_seed(handle, seed), "generator.manual_seed")
    }

    /// The full internal state, for exact resumption (a uint8 tensor).
    public func state() throws -> Tensor {
        try Tensor.make("generator.get_state", []) { ct_generator_get_state(handle, $0) }
    }

    public func setState(_ state: Tensor) throws {
        try check(ct_generator_set_state(handle, state.handle), "generator.set_state", [state])
    }
}

extension Tensor {
    /// Standard normal samples.
    public static func randn(_ shape: [Int], dtype: DType = .float32, device: Device? = nil, generator: Generator) throws -> Tensor {
        let device = device ?? generator.device
        return try make("randn", []) { out in
            withInt64s(shape) { ct_tensor_randn($0, $1, dtype.rawValue, device.typeCode, device.indexCode, generator.handle, out) }
        }
    }

    /// Uniform samples in [0, 1).
    public static func rand(_ shape: [Int], dtype: DType = .float32, device: Device? = nil, generator: Generator) throws -> Tensor {
        let device = device ?? generator.device
        return try make("rand", []) { out in
            withInt64s(shape) { ct_tensor_rand($0, $1, dtype.rawValue, device.typeCode, device.indexCode, generator.handle, out) }
        }
    }

    /// Integers uniform in [low, high).
    public static func randint(_ low: Int, _ high: Int, shape: [Int], dtype: DType = .int64, device: Device? = nil, generator: Generator) throws -> Tensor {
        let device = device ?? generator.device
        return try make("randint", []) { out in
            withInt64s(shape) {
                ct_tensor_randint(Int64(low), Int64(high), $0, $1, dtype.rawValue, device.typeCode, device.indexCode, generator.handle, out)
            }
        }
    }

    /// A random permutation of 0..<n.
    public static func randperm(_ n: Int, dtype: DType = .int64, device: Device? = nil, generator: Generator) throws -> Tensor {
        let device = device ?? generator.device
        return try make("randperm", []) { ct_tensor_randperm(Int64(n), dtype.rawValue, device.typeCode, device.indexCode, generator.handle, $0) }
    }

    /// Samples N(0, 1) with this tensor's shape, dtype and device.
    public func randnLike(generator: Generator) throws -> Tensor {
        try Tensor.randn(shape, dtype: dtype, device: device, generator: generator)
    }

    /// Fills in place with N(mean, std²) samples (under no-grad for parameters).
    public func normal_(mean: Double = 0, std: Double = 1, generator: Generator) throws {
        try inPlace("normal_", [], ct_tensor_normal_(handle, mean, std, generator.handle))
    }

    /// Fills in place with U(low, high) samples (under no-grad for parameters).
    public func uniform_(low: Double, high: Double, generator: Generator) throws {
        try inPlace("uniform_", [], ct_tensor_uniform_(handle, low, high, generator.handle))
    }

    /// Bernoulli samples with these probabilities.
    public func bernoulli(generator: Generator) throws -> Tensor {
        try Tensor.make("bernoulli", [self]) { ct_tensor_bernoulli(handle, generator.handle, $0) }
    }

    /// Indices drawn from the rows of this probability tensor.
    public func multinomial(_ count: Int, replacement: Bool, generator: Generator) throws -> Tensor {
        try Tensor.make("multinomial", [self]) { ct_tensor_multinomial(handle, Int64(count), replacement, generator.handle, $0) }
    }
}
