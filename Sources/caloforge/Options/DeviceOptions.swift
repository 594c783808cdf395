import ArgumentParser
import Torch

/// `--device` and `--threads`, shared by every command that computes.
struct DeviceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where to compute; auto takes CUDA when it is available, else the CPU.", valueName: "device"))
    var device: DeviceChoice = .auto

    @Option(help: "CPU threads for LibTorch (default: all cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1; got \(threads).")
        }
    }

    /// Resolves the device (loading CUDA when asked for) and applies the thread count.
    func resolve() throws -> Device {
        try Engine.checkVersion()
        if let threads { try Engine.setThreadCount(threads) }
        return try device.resolved()
    }
}
