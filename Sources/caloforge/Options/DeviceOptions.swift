import ArgumentParser
import Torch

/// `--device` and `--threads`, shared by every command that computes.
struct DeviceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where to compute: auto (CUDA when available, else CPU), cpu, cuda or cuda:N.", valueName: "device"))
    var device: String = "auto"

    @Option(help: "CPU threads for LibTorch (default: all cores).")
    var threads: Int?

    func validate() throws {
        if device != "auto" && Device(parsing: device) == nil {
            throw ValidationError("--device must be auto, cpu, cuda or cuda:N; got '\(device)'.")
        }
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1; got \(threads).")
        }
    }

    /// Resolves the device (loading CUDA when asked for) and applies the thread count.
    func resolve() throws -> Device {
        try Engine.checkVersion()
        if let threads { try Engine.setThreadCount(threads) }
        if device == "auto" { return CUDA.isAvailable ? .cuda(0) : .cpu }
        let parsed = Device(parsing: device)!
        try parsed.checkAvailable()
        return parsed
    }
}
