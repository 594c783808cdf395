import ArgumentParser
import Torch

/// A `--device` value as parsed by ArgumentParser: `auto` (CUDA when available, else the CPU) or
/// one device (`cpu`, `cuda`, `cuda:N`). Any other text is a parse error that lists these forms.
enum DeviceChoice: Equatable, ExpressibleByArgument, CustomStringConvertible {
    case auto
    case fixed(Device)

    /// Parses `auto`, `cpu`, `cuda` or `cuda:N` (case-insensitive); nil for anything else.
    init?(argument: String) {
        if argument.lowercased() == "auto" {
            self = .auto
        } else if let device = Device(parsing: argument) {
            self = .fixed(device)
        } else {
            return nil
        }
    }

    /// The forms a parse error lists and `--help` shows.
    static var allValueStrings: [String] { ["auto", "cpu", "cuda", "cuda:N"] }

    var defaultValueDescription: String { description }

    var description: String {
        switch self {
        case .auto: return "auto"
        case .fixed(let device): return device.description
        }
    }

    /// The device to compute on: for `auto` the first CUDA device when CUDA loads, else the CPU; a
    /// fixed device after checking that it is usable.
    ///
    /// - Throws: `TorchError` when CUDA was asked for and is missing (its message points to `caloforge env`).
    func resolved(cudaIsAvailable: () -> Bool = { CUDA.isAvailable }) throws -> Device {
        switch self {
        case .auto:
            return cudaIsAvailable() ? .cuda(0) : .cpu
        case .fixed(let device):
            try device.checkAvailable()
            return device
        }
    }
}
