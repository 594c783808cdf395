import ArgumentParser
import CaloData
import CaloModels
import Foundation
import Torch

/// `caloforge env`: what the engine can do on this machine.
struct Env: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the engine: LibTorch version, CPU threads, CUDA devices (or why not), HDF5.",
        discussion: "Run this first on a new machine, and include its output in bug reports."
    )

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let report = try EnvironmentReport.collect()
        if json {
            print(try JSONOutput.text(report))
        } else {
            print(report.text)
        }
        // The report is printed first; then the mismatch it names fails the command (a TorchError, no usage).
        if report.versionProblem != nil { try Engine.checkVersion() }
    }
}

struct EnvironmentReport: Codable {
    struct GPU: Codable {
        var index: Int
        var name: String
        var totalMemoryGiB: Double
        var computeCapability: String
    }

    var caloforge: String
    var libtorchCompiled: String
    var libtorchRuntime: String
    var cpuThreads: Int
    var cpuCores: Int
    /// Cap of the caching CPU allocator in MiB (CALOFORGE_CPU_CACHE_MB), or nil when it is off.
    var cpuCacheLimitMiB: Int?
    var cudaAvailable: Bool
    var cudaUnavailableReason: String?
    var gpus: [GPU]
    var hdf5: String
    var versionProblem: String?

    static func collect() throws -> EnvironmentReport {
        let runtime = try Engine.runtimeVersion()
        var problem: String?
        do { try Engine.checkVersion() } catch { problem = "\(error)" }
        let reason = CUDA.unavailableReason
        var gpus: [GPU] = []
        if reason == nil {
            for index in 0..<CUDA.deviceCount {
                let info = try CUDA.deviceInfo(index)
                gpus.append(GPU(index: index, name: info.name, totalMemoryGiB: Double(info.totalMemory) / 1_073_741_824,
                                computeCapability: "\(info.capability.0).\(info.capability.1)"))
            }
        }
        return EnvironmentReport(
            caloforge: CaloForgeVersion.string, libtorchCompiled: Engine.compiledVersion, libtorchRuntime: runtime,
            cpuThreads: Engine.threadCount, cpuCores: ProcessInfo.processInfo.activeProcessorCount,
            cpuCacheLimitMiB: Engine.cpuCacheStatistics == nil ? nil : Engine.cpuCacheLimitMiB,
            cudaAvailable: reason == nil, cudaUnavailableReason: reason, gpus: gpus, hdf5: HDF5Library.version,
            versionProblem: problem)
    }

    var text: String {
        var lines = [
            "CaloForge \(caloforge)",
            "LibTorch   \(libtorchRuntime) (compiled against \(libtorchCompiled))\(versionProblem == nil ? "" : "  MISMATCH")",
            "CPU        \(cpuThreads) LibTorch threads on \(cpuCores) cores",
            "CPU cache  " + (cpuCacheLimitMiB.map { "caching allocator, up to \($0) MiB of freed blocks (CALOFORGE_CPU_CACHE_MB)" }
                ?? "off (CALOFORGE_CPU_CACHE_MB=0): LibTorch's allocator"),
        ]
        if cudaAvailable {
            lines.append("CUDA       available, \(gpus.count) device(s)")
            for gpu in gpus {
                lines.append(String(format: "  cuda:%d   %@, %.1f GiB, compute capability %@", gpu.index, gpu.name, gpu.totalMemoryGiB, gpu.computeCapability))
            }
        } else {
            lines.append("CUDA       not available: \(cudaUnavailableReason ?? "unknown")")
        }
        lines.append("HDF5       \(hdf5)")
        if let text = ProcessInfo.processInfo.environment["CALOFORGE_CPU_CACHE_MB"], !text.isEmpty, (Int(text) ?? -1) < 0 {
            lines.append("\nwarning: CALOFORGE_CPU_CACHE_MB='\(text)' is not a whole number of MiB ≥ 0; the default (a quarter of the memory) is used")
        }
        if let versionProblem { lines.append("\nerror: \(versionProblem)") }
        return lines.joined(separator: "\n")
    }
}
