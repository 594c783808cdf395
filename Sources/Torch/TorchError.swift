import Foundation

/// Errors thrown by the `Torch` module. Every case names what failed and how to act on it.
public enum TorchError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A LibTorch operation failed; `shapes` are the shapes of its tensor inputs.
    case operationFailed(op: String, shapes: [[Int]], message: String)
    /// A LibTorch operation ran out of host or device memory.
    case outOfMemory(op: String, shapes: [[Int]], message: String)
    /// CUDA was asked for but cannot be used on this machine.
    case cudaUnavailable(reason: String)
    /// The LibTorch loaded at run time is not the one CaloForge was compiled against.
    case versionMismatch(built: String, runtime: String)
    /// An argument was invalid before any LibTorch call was made.
    case invalidArgument(String)
    /// A safetensors file could not be read or written.
    case safetensors(path: String, message: String)
    /// A file cannot be read at all (missing, a folder, no permission).
    case unreadableFile(path: String, reason: String)
    /// A file given as a PyTorch checkpoint is not a torch.save file (zip archive) at all.
    case notTorchSave(path: String)
    /// A torch.save file in the legacy (pre-1.6, non-zip) format, which LibTorch's reader does not parse.
    case legacyTorchSave(path: String)
    /// A torch.save file holds an object that is not a tensor or a plain container (`type` names it).
    case nonTensorObject(path: String, type: String)
    /// A torch.save file holds a `collections.OrderedDict` in a form that cannot be read as a plain dict (built
    /// with arguments, or used other than as `OrderedDict()` followed by its items); see `PickleRewrite`.
    case orderedDictInTorchSave(path: String)
    /// The pickle stream of a torch.save file holds a byte that is no pickle opcode, at `offset` in `data.pkl`.
    case unknownPickleOpcode(path: String, opcode: UInt8, offset: Int)
    /// The pickle stream of a torch.save file ends inside the opcode at `offset` in `data.pkl`, or before STOP.
    case truncatedPickle(path: String, offset: Int)
    /// Autocast was asked for a dtype that `device` cannot autocast to (see ``AutocastState/supportedDTypes(on:)``).
    case autocastUnsupportedDType(device: Device, dtype: DType)
    /// A memory format was applied to a tensor whose rank is not the format's (4 for channels-last, 5 for 3-D).
    case memoryFormatRank(format: MemoryFormat, shape: [Int])

    public var description: String {
        switch self {
        case let .operationFailed(op, shapes, message):
            return "\(op) failed\(Self.describe(shapes)): \(Self.firstLines(message))"
        case let .outOfMemory(op, shapes, message):
            return "\(op) ran out of memory\(Self.describe(shapes)): \(Self.firstLines(message)). "
                + "Try a smaller --batch-size."
        case let .cudaUnavailable(reason):
            return "CUDA was requested but is not available: \(reason). "
                + "Run `caloforge env` to see what this machine offers, or use --device cpu."
        case let .versionMismatch(built, runtime):
            return "CaloForge was built against LibTorch \(built) but LibTorch \(runtime) was loaded at run time; "
                + "point LD_LIBRARY_PATH (or LIBTORCH when building) at LibTorch \(built), see docs/gpu.md."
        case let .invalidArgument(message):
            return message
        case let .safetensors(path, message):
            return "safetensors file \(path): \(message)"
        case let .unreadableFile(path, reason):
            return "\(path) cannot be read (\(reason)); check the path"
        case let .notTorchSave(path):
            return "\(path) is not a torch.save file (no zip archive); give a .pth/.pt written by torch.save, "
                + "or a .safetensors file"
        case let .legacyTorchSave(path):
            return "\(path) uses the legacy torch.save format (before torch 1.6), which LibTorch cannot read; "
                + "re-save it in Python: torch.save(torch.load(path), path) writes the zip format"
        case let .nonTensorObject(path, type):
            return "\(path) holds a non-tensor object (\(type)); only tensors in dicts, lists and tuples are read. "
                + "Save the state_dict only, e.g. torch.save(model.state_dict(), path)"
        case let .orderedDictInTorchSave(path):
            return "\(path) holds a collections.OrderedDict built with arguments (or used other than as "
                + "OrderedDict() filled with its items), which LibTorch's unpickler cannot rebuild; "
                + "re-save it as a plain dict in Python: "
                + "torch.save(dict(model.state_dict()), path), or as safetensors: "
                + "safetensors.torch.save_file(model.state_dict(), path)"
        case let .unknownPickleOpcode(path, opcode, offset):
            return "\(path) is damaged: byte 0x\(String(opcode, radix: 16, uppercase: true)) at offset \(offset) of its "
                + "pickle stream (data.pkl) is no pickle opcode; save the file again with torch.save"
        case let .truncatedPickle(path, offset):
            return "\(path) is damaged: its pickle stream (data.pkl) ends inside the opcode at offset \(offset) "
                + "or before STOP; copy or save the file again"
        case let .autocastUnsupportedDType(device, dtype):
            let supported = AutocastState.supportedDTypes(on: device).map(\.description).joined(separator: " or ")
            return "autocast on \(device) cannot use \(dtype); use \(supported)"
        case let .memoryFormatRank(format, shape):
            let shapeText = "[" + shape.map(String.init).joined(separator: ", ") + "]"
            let fitting = MemoryFormat.channelsLast(forRank: shape.count) ?? .contiguous
            return "\(format) applies to \(format.requiredRank ?? shape.count)-D tensors, but the tensor has shape "
                + "\(shapeText); use \(fitting) for a \(shape.count)-D tensor"
        }
    }

    public var errorDescription: String? { description }

    private static func describe(_ shapes: [[Int]]) -> String {
        guard !shapes.isEmpty else { return "" }
        let list = shapes.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }
        return " for input shape" + (shapes.count > 1 ? "s " : " ") + list.joined(separator: " and ")
    }

    /// LibTorch messages can run to many lines of context; keep the informative head.
    private static func firstLines(_ message: String) -> String {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: true).prefix(3)
        return lines.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}
