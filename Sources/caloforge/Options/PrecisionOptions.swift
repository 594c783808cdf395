import ArgumentParser
import Torch
import TorchNN

/// `--precision` and `--memory-format`, shared by the commands that run a network (`sample`, `bench sample`,
/// `bench train-step`): float32, or bfloat16 autocast around the network calls; row-major or channels-last
/// weights for the convolutions (docs/benchmarks.md, "bf16 autocast and channels-last on this CPU").
struct PrecisionOptions: ParsableArguments {
    /// The arithmetic of the network calls.
    enum Precision: String, CaseIterable, ExpressibleByArgument {
        /// float32 throughout.
        case fp32
        /// bfloat16 autocast: convolutions, linear layers and attention in bfloat16, the rest as its inputs.
        case bf16
    }

    /// The layout of the convolution weights.
    enum Layout: String, CaseIterable, ExpressibleByArgument {
        case contiguous
        /// 2-D convolution weights channels-last, 3-D ones channels-last-3d.
        case channelsLast = "channels-last"
    }

    @Option(help: ArgumentHelp("Network arithmetic: fp32, or bf16 autocast (convolutions, linear layers, attention in bfloat16).", valueName: "precision"))
    var precision: Precision = .fp32

    @Option(help: ArgumentHelp("Layout of convolution weights: contiguous or channels-last.", valueName: "format"))
    var memoryFormat: Layout = .contiguous

    /// Lays the module's convolution weights out as asked (nothing to do for contiguous ones).
    func apply(to module: Module) throws {
        guard memoryFormat == .channelsLast else { return }
        try module.setMemoryFormat(.channelsLast)
        try module.setMemoryFormat(.channelsLast3d)
    }

    /// Runs `body` in the chosen precision on `device`.
    func run<R>(on device: Device, _ body: () throws -> R) throws -> R {
        try withAutocast(.bfloat16, on: device, enabled: precision == .bf16, body)
    }

    /// `fp32` or `bf16`, with `+channels-last` when set; for reports.
    var label: String { precision.rawValue + (memoryFormat == .channelsLast ? "+channels-last" : "") }
}
