import CTorch
import Synchronization

/// Where a tensor lives.
public enum Device: Equatable, Hashable, Sendable, CustomStringConvertible {
    case cpu
    /// A CUDA device by index. Using one loads `libtorch_cuda.so` on first use.
    case cuda(Int)

    /// The ambient default device: `.cpu` unless changed by ``withDevice(_:_:)`` for a scope.
    public static var current: Device { DeviceScope.current }

    /// Parses `cpu`, `cuda` or `cuda:N`.
    public init?(parsing text: String) {
        let lower = text.lowercased()
        if lower == "cpu" {
            self = .cpu
        } else if lower == "cuda" {
            self = .cuda(0)
        } else if lower.hasPrefix("cuda:"), let index = Int(lower.dropFirst(5)), index >= 0 {
            self = .cuda(index)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .cpu: return "cpu"
        case .cuda(let index): return "cuda:\(index)"
        }
    }

    var typeCode: Int32 { self == .cpu ? Int32(CT_DEVICE_CPU) : Int32(CT_DEVICE_CUDA) }
    var indexCode: Int32 {
        if case .cuda(let index) = self { return Int32(index) }
        return 0
    }

    /// Throws ``TorchError/cudaUnavailable(reason:)`` unless this device can be used.
    public func checkAvailable() throws {
        guard case .cuda(let index) = self else { return }
        try CUDA.load()
        let count = CUDA.deviceCount
        guard index < count else {
            throw TorchError.cudaUnavailable(reason: "device cuda:\(index) asked for, but only \(count) CUDA device(s) exist")
        }
    }
}

enum DeviceScope {
    @TaskLocal static var current: Device = .cpu
}

/// Runs `body` with `device` as the default device for new tensors, restoring the previous
/// default afterwards (also when `body` throws). Throws if the device is not available.
public func withDevice<R>(_ device: Device, _ body: () throws -> R) throws -> R {
    try device.checkAvailable()
    return try DeviceScope.$current.withValue(device) { try body() }
}

/// The CUDA runtime as LibTorch sees it. Nothing here is loaded until first asked for.
public enum CUDA {
    private static let loadResult = Mutex<String??>(nil)

    /// Loads `libtorch_cuda.so` from the LibTorch folder (once) and checks that a device is visible.
    public static func load() throws {
        let failure: String? = loadResult.withLock { state in
            if let known = state { return known }
            let status = ct_cuda_load()
            let result: String? = status == CT_OK ? nil : String(cString: ct_last_error())
            state = .some(result)
            return result
        }
        if let failure { throw TorchError.cudaUnavailable(reason: failure) }
    }

    /// Why CUDA cannot be used here, or nil when it can.
    public static var unavailableReason: String? {
        do {
            try load()
            return nil
        } catch let TorchError.cudaUnavailable(reason) {
            return reason
        } catch {
            return "\(error)"
        }
    }

    public static var isAvailable: Bool { unavailableReason == nil }

    public static var deviceCount: Int {
        guard isAvailable else { return 0 }
        return Int(ct_cuda_device_count())
    }

    /// Waits for all queued work on a device to finish (for timing).
    public static func synchronize(_ device: Int = 0) throws {
        try load()
        try check(ct_cuda_synchronize(Int32(device)), "cuda.synchronize")
    }

    /// Name, total memory (bytes) and compute capability of a device.
    public static func deviceInfo(_ device: Int = 0) throws -> (name: String, totalMemory: Int, capability: (Int, Int)) {
        try load()
        var name = [CChar](repeating: 0, count: 512)
        var total: Int64 = 0
        var major: Int32 = 0
        var minor: Int32 = 0
        try check(ct_cuda_device_info(Int32(device), &name, Int64(name.count), &total, &major, &minor), "cuda.device_info")
        let text = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return (text, Int(total), (Int(major), Int(minor)))
    }

    /// Current and peak allocated/reserved bytes of LibTorch's caching allocator on a device.
    public static func memoryStats(_ device: Int = 0) throws -> (allocated: Int, peakAllocated: Int, reserved: Int, peakReserved: Int) {
        try load()
        var a: Int64 = 0, pa: Int64 = 0, r: Int64 = 0, pr: Int64 = 0
        try check(ct_cuda_memory_stats(Int32(device), &a, &pa, &r, &pr), "cuda.memory_stats")
        return (Int(a), Int(pa), Int(r), Int(pr))
    }
}
