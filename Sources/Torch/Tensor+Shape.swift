import CTorch

/// Padding modes of ``Tensor/padded(_:mode:)``.
public enum PaddingMode: Sendable, Equatable {
    case constant(Double)
    /// Wraps around (the cylindrical convolution of CaloDiffusion pads the angular axis this way).
    case circular
    case replicate
    case reflect

    var code: Int32 {
        switch self {
        case .constant: return Int32(CT_PAD_CONSTANT)
        case .circular: return Int32(CT_PAD_CIRCULAR)
        case .replicate: return Int32(CT_PAD_REPLICATE)
        case .reflect: return Int32(CT_PAD_REFLECT)
        }
    }
}

extension Tensor {
    /// Same elements in a new shape (one entry may be -1); copies only when needed.
    public func reshaped(_ shape: [Int]) throws -> Tensor {
        try Tensor.make("reshape", [self]) { out in withInt64s(shape) { ct_tensor_reshape(handle, $0, $1, out) } }
    }

    /// A view with a new shape; fails when the layout does not allow one.
    public func viewed(_ shape: [Int]) throws -> Tensor {
        try Tensor.make("view", [self]) { out in withInt64s(shape) { ct_tensor_view(handle, $0, $1, out) } }
    }

    public func permuted(_ dims: [Int]) throws -> Tensor {
        try Tensor.make("permute", [self]) { out in withInt64s(dims) { ct_tensor_permute(handle, $0, $1, out) } }
    }

    public func transposed(_ dim0: Int, _ dim1: Int) throws -> Tensor {
        try Tensor.make("transpose", [self]) { ct_tensor_transpose(handle, Int64(dim0), Int64(dim1), $0) }
    }

    /// Removes size-1 dimensions (`dims` empty: all of them).
    public func squeezed(_ dims: [Int] = []) throws -> Tensor {
        try Tensor.make("squeeze", [self]) { out in withInt64s(dims) { ct_tensor_squeeze(handle, $0, $1, out) } }
    }

    public func squeezed(dim: Int) throws -> Tensor { try squeezed([dim]) }

    public func unsqueezed(_ dim: Int) throws -> Tensor {
        try Tensor.make("unsqueeze", [self]) { ct_tensor_unsqueeze(handle, Int64(dim), $0) }
    }

    /// Broadcasts size-1 dimensions to `shape` without copying (-1 keeps a size).
    public func expanded(_ shape: [Int]) throws -> Tensor {
        try Tensor.make("expand", [self]) { out in withInt64s(shape) { ct_tensor_expand(handle, $0, $1, out) } }
    }

    public func repeated(_ repeats: [Int]) throws -> Tensor {
        try Tensor.make("repeat", [self]) { out in withInt64s(repeats) { ct_tensor_repeat(handle, $0, $1, out) } }
    }

    public func contiguous() throws -> Tensor { try Tensor.make("contiguous", [self]) { ct_tensor_contiguous(handle, $0) } }

    public func flattened(from start: Int = 0, to end: Int = -1) throws -> Tensor {
        try Tensor.make("flatten", [self]) { ct_tensor_flatten(handle, Int64(start), Int64(end), $0) }
    }

    /// Concatenates along an existing dimension.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        try make("cat", tensors) { out in withHandles(tensors) { ct_tensor_cat($0, $1, Int64(dim), out) } }
    }

    /// Stacks along a new dimension.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        try make("stack", tensors) { out in withHandles(tensors) { ct_tensor_stack($0, $1, Int64(dim), out) } }
    }

    /// Pieces of `size` along `dim` (the last may be smaller).
    public func split(size: Int, dim: Int = 0) throws -> [Tensor] {
        guard size > 0 else { throw TorchError.invalidArgument("split: size must be positive, got \(size)") }
        // An out-of-range dim is left to LibTorch to report (dim(_:) would trap on it).
        let n = (-ndim..<ndim).contains(dim) ? (self.dim(dim) + size - 1) / size : 1
        return try Tensor.makeList("split", [self], capacity: n + 1) { ct_tensor_split(handle, Int64(size), Int64(dim), $0, $1, $2) }
    }

    /// At most `count` nearly equal pieces along `dim`.
    public func chunked(_ count: Int, dim: Int = 0) throws -> [Tensor] {
        try Tensor.makeList("chunk", [self], capacity: count + 1) { ct_tensor_chunk(handle, Int64(count), Int64(dim), $0, $1, $2) }
    }

    /// `length` entries of `dim` starting at `start` (a view).
    public func narrowed(dim: Int, start: Int, length: Int) throws -> Tensor {
        try Tensor.make("narrow", [self]) { ct_tensor_narrow(handle, Int64(dim), Int64(start), Int64(length), $0) }
    }

    /// The slice at `index` of `dim`, with that dimension removed (a view).
    public func selecting(dim: Int, index: Int) throws -> Tensor {
        try Tensor.make("select", [self]) { ct_tensor_select(handle, Int64(dim), Int64(index), $0) }
    }

    /// `start..<end` with `step` along `dim` (a view); `end` nil means to the end.
    public func sliced(dim: Int, start: Int = 0, end: Int? = nil, step: Int = 1) throws -> Tensor {
        try Tensor.make("slice", [self]) { ct_tensor_slice(handle, Int64(dim), Int64(start), Int64(end ?? Int.max), Int64(step), $0) }
    }

    public func indexSelect(dim: Int, index: Tensor) throws -> Tensor {
        try Tensor.make("index_select", [self, index]) { ct_tensor_index_select(handle, Int64(dim), index.handle, $0) }
    }

    /// The elements where `mask` is true, as a 1-D tensor.
    public func maskedSelect(_ mask: Tensor) throws -> Tensor {
        try Tensor.make("masked_select", [self, mask]) { ct_tensor_masked_select(handle, mask.handle, $0) }
    }

    public func gather(dim: Int, index: Tensor) throws -> Tensor {
        try Tensor.make("gather", [self, index]) { ct_tensor_gather(handle, Int64(dim), index.handle, $0) }
    }

    /// A copy of self with `source` added at `index` along `dim` (out-of-place scatter_add).
    public func scatterAdd(dim: Int, index: Tensor, source: Tensor) throws -> Tensor {
        try Tensor.make("scatter_add", [self, index, source]) { ct_tensor_scatter_add(handle, Int64(dim), index.handle, source.handle, $0) }
    }

    public func indexAdd(dim: Int, index: Tensor, source: Tensor) throws -> Tensor {
        try Tensor.make("index_add", [self, index, source]) { ct_tensor_index_add(handle, Int64(dim), index.handle, source.handle, $0) }
    }

    public func flipped(_ dims: [Int]) throws -> Tensor {
        try Tensor.make("flip", [self]) { out in withInt64s(dims) { ct_tensor_flip(handle, $0, $1, out) } }
    }

    public func rolled(shifts: [Int], dims: [Int]) throws -> Tensor {
        guard shifts.count == dims.count else {
            throw TorchError.invalidArgument("roll: \(shifts.count) shifts for \(dims.count) dims")
        }
        return try Tensor.make("roll", [self]) { out in
            withInt64s(shifts) { s, n in withInt64s(dims) { d, _ in ct_tensor_roll(handle, s, d, n, out) } }
        }
    }

    /// Pads with PyTorch's `F.pad` convention: pairs (before, after) starting from the last dimension.
    public func padded(_ pad: [Int], mode: PaddingMode = .constant(0)) throws -> Tensor {
        var value = 0.0
        if case .constant(let v) = mode { value = v }
        return try Tensor.make("pad", [self]) { out in withInt64s(pad) { ct_tensor_pad(handle, $0, $1, mode.code, value, out) } }
    }

    public func tril(_ diagonal: Int = 0) throws -> Tensor { try Tensor.make("tril", [self]) { ct_tensor_tril(handle, Int64(diagonal), $0) } }
    public func triu(_ diagonal: Int = 0) throws -> Tensor { try Tensor.make("triu", [self]) { ct_tensor_triu(handle, Int64(diagonal), $0) } }

    /// Indices of non-zero elements, shape `[count, ndim]`.
    public func nonzero() throws -> Tensor { try Tensor.make("nonzero", [self]) { ct_tensor_nonzero(handle, $0) } }

    /// Index of the bucket of each element given sorted `boundaries`.
    public func bucketize(_ boundaries: Tensor, right: Bool = false) throws -> Tensor {
        try Tensor.make("bucketize", [self, boundaries]) { ct_tensor_bucketize(handle, boundaries.handle, right, $0) }
    }
}
