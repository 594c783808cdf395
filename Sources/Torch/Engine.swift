import CTorch

/// Process-wide facts and settings of the LibTorch engine. Thread counts are set once, by `caloforge`.
public enum Engine {
    /// The LibTorch version CaloForge was compiled against, e.g. "2.11.0".
    public static var compiledVersion: String { String(cString: ct_compiled_version()) }

    /// The LibTorch version loaded at run time (read from `at::show_config()`).
    public static func runtimeVersion() throws -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        try check(ct_runtime_version(&buffer, Int64(buffer.count)), "runtime_version")
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Throws ``TorchError/versionMismatch(built:runtime:)`` unless the loaded LibTorch has the
    /// compiled-against major.minor.patch version.
    public static func checkVersion() throws {
        let built = compiledVersion
        let runtime = try runtimeVersion()
        let base = runtime.split(separator: "+").first.map(String.init) ?? runtime
        if base != built { throw TorchError.versionMismatch(built: built, runtime: runtime) }
    }

    /// Intra-op CPU threads LibTorch uses.
    public static var threadCount: Int { Int(ct_get_num_threads()) }

    public static func setThreadCount(_ count: Int) throws {
        guard count > 0 else { throw TorchError.invalidArgument("thread count must be positive, got \(count)") }
        try check(ct_set_num_threads(Int32(count)), "set_num_threads")
    }
}
