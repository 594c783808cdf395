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

    /// The caching CPU allocator's state (CTorch/cpu_allocator.cpp): `nil` when it is switched off
    /// with `CALOFORGE_CPU_CACHE_MB=0`.
    public struct CPUCacheStatistics: Sendable, Equatable {
        /// Bytes of freed blocks kept for reuse.
        public var cachedBytes: Int
        /// Large allocations served from the cache.
        public var hits: Int
        /// Large allocations served by the system.
        public var misses: Int
    }

    public static var cpuCacheStatistics: CPUCacheStatistics? {
        var cached: Int64 = 0, hits: Int64 = 0, misses: Int64 = 0
        guard ct_cpu_cache_stats(&cached, &hits, &misses) == 1 else { return nil }
        return CPUCacheStatistics(cachedBytes: Int(cached), hits: Int(hits), misses: Int(misses))
    }

    /// The cache's cap in MiB as the allocator reads it from `CALOFORGE_CPU_CACHE_MB` (default: a quarter of the physical memory, at least 1024).
    public static var cpuCacheLimitMiB: Int { Int(ct_cpu_cache_limit_mb()) }

    /// Gives every cached free CPU block back to the system (e.g. between large jobs in one process).
    public static func releaseCPUCache() { ct_cpu_cache_release() }
}
