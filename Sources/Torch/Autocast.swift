import CTorch

/// The autocast state of one device type on the calling thread (LibTorch's `at::autocast`
/// thread-local flags): whether it is on, and the lower-precision dtype it casts to.
public struct AutocastState: Equatable, Sendable, CustomStringConvertible {
    /// Whether eligible ops (convolutions, matmul, linear, attention) run in ``dtype``.
    public var isEnabled: Bool
    /// The lower-precision dtype: `.bfloat16` or `.float16` on CPU; also `.float32` on CUDA.
    public var dtype: DType

    public init(isEnabled: Bool, dtype: DType) {
        self.isEnabled = isEnabled
        self.dtype = dtype
    }

    /// The current state for `device`'s type (every CUDA index shares one state, as in LibTorch).
    public static func current(on device: Device = .cpu) -> AutocastState {
        var enabled = false
        var code: Int32 = 0
        // Fails only for an unknown device code, which `Device` cannot hold.
        guard ct_autocast_state(device.typeCode, &enabled, &code) == CT_OK, let dtype = DType(rawValue: code) else {
            preconditionFailure("LibTorch reported an autocast state outside DType for \(device)")
        }
        return AutocastState(isEnabled: enabled, dtype: dtype)
    }

    /// The dtypes autocast accepts on `device` (the checks `torch.autocast` makes).
    public static func supportedDTypes(on device: Device) -> [DType] {
        device == .cpu ? [.bfloat16, .float16] : [.float16, .bfloat16, .float32]
    }

    public var description: String { isEnabled ? "autocast(\(dtype))" : "no autocast" }
}

/// Runs `body` under automatic mixed precision on `device` (`torch.autocast(device_type, dtype)`), then
/// restores the previous state, also when `body` throws.
///
/// Inside, LibTorch's autocast lists decide each op's precision: ops on the lower-precision list (convolutions,
/// `linear`, `matmul`/`bmm`/`addmm`, `scaled_dot_product_attention`) cast their float32 inputs to `dtype` (the casts
/// of leaf weights are cached for the outermost scope); ops on the float32 list run in float32; every other op
/// follows its inputs, so a bfloat16 activation added to a float32 residual gives float32. Gradients of float32
/// leaves stay float32. The state is per thread and per device type; scopes nest, and `enabled: false` opens a
/// full-precision region inside an autocast one.
/// Throws ``TorchError/autocastUnsupportedDType(device:dtype:)`` for a dtype the device cannot autocast to.
public func withAutocast<R>(
    _ dtype: DType = .bfloat16, on device: Device = .cpu, enabled: Bool = true, _ body: () throws -> R
) throws -> R {
    guard AutocastState.supportedDTypes(on: device).contains(dtype) else {
        throw TorchError.autocastUnsupportedDType(device: device, dtype: dtype)
    }
    let previous = AutocastState.current(on: device)
    try check(ct_autocast_set_state(device.typeCode, enabled, dtype.rawValue), "autocast(\(device), \(dtype))")
    ct_autocast_enter()
    defer {
        ct_autocast_exit()
        // Restoring a state LibTorch itself reported cannot fail.
        _ = ct_autocast_set_state(device.typeCode, previous.isEnabled, previous.dtype.rawValue)
    }
    return try body()
}
