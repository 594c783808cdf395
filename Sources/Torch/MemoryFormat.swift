import CTorch

/// The dense layout of a 4-D (`[N, C, H, W]`) or 5-D (`[N, C, D, H, W]`) tensor (`torch.memory_format`).
///
/// Channels-last keeps the channel index fastest (strides of NHWC / NDHWC while the shape stays NCHW /
/// NCDHW), the layout oneDNN's CPU convolutions prefer; a convolution whose input or weight is channels-last
/// returns channels-last.
public enum MemoryFormat: Int32, CaseIterable, Sendable, CustomStringConvertible {
    /// Row-major (`torch.contiguous_format`); any rank.
    case contiguous = 0
    /// NHWC strides for 4-D tensors (`torch.channels_last`).
    case channelsLast = 1
    /// NDHWC strides for 5-D tensors (`torch.channels_last_3d`).
    case channelsLast3d = 2

    /// The rank the format applies to; nil for ``contiguous`` (every rank).
    public var requiredRank: Int? {
        switch self {
        case .contiguous: return nil
        case .channelsLast: return 4
        case .channelsLast3d: return 5
        }
    }

    /// The channels-last format for a tensor of rank `ndim` (4 or 5), nil for other ranks.
    public static func channelsLast(forRank ndim: Int) -> MemoryFormat? {
        switch ndim {
        case 4: return .channelsLast
        case 5: return .channelsLast3d
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .contiguous: return "contiguous"
        case .channelsLast: return "channels-last"
        case .channelsLast3d: return "channels-last-3d"
        }
    }
}

extension Tensor {
    /// The same values laid out in `memoryFormat` (`Tensor.contiguous(memory_format=)`); self when already so.
    /// Throws ``TorchError/memoryFormatRank(format:shape:)`` when the rank is not the format's.
    public func contiguous(memoryFormat: MemoryFormat) throws -> Tensor {
        try checkRank(for: memoryFormat)
        return try Tensor.make("contiguous(\(memoryFormat))", [self]) {
            ct_tensor_contiguous_format(handle, memoryFormat.rawValue, $0)
        }
    }

    /// Whether the strides are dense in `memoryFormat` (`Tensor.is_contiguous(memory_format=)`); false for a
    /// rank the format does not apply to. Tensors with unit dimensions can be contiguous in several formats.
    public func isContiguous(memoryFormat: MemoryFormat) -> Bool {
        ct_tensor_is_contiguous_format(handle, memoryFormat.rawValue)
    }

    /// Re-lays this tensor's storage out in `memoryFormat` in place (`param.data = param.contiguous(...)`): the
    /// tensor object, its `requiresGrad` flag and its place in optimizers stay the same.
    /// Throws ``TorchError/memoryFormatRank(format:shape:)`` when the rank is not the format's.
    public func setMemoryFormat_(_ memoryFormat: MemoryFormat) throws {
        try checkRank(for: memoryFormat)
        try inPlace("set_memory_format_(\(memoryFormat))", [], ct_tensor_set_memory_format_(handle, memoryFormat.rawValue))
    }

    private func checkRank(for memoryFormat: MemoryFormat) throws {
        if let rank = memoryFormat.requiredRank, rank != ndim {
            throw TorchError.memoryFormatRank(format: memoryFormat, shape: shape)
        }
    }
}
