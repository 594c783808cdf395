import CTorch

// Reductions take a list of dims; an empty list reduces over every dimension.

extension Tensor {
    public func sum(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("sum", [self]) { out in withInt64s(dims) { ct_tensor_sum(handle, $0, $1, keepDim, out) } }
    }

    public func mean(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("mean", [self]) { out in withInt64s(dims) { ct_tensor_mean(handle, $0, $1, keepDim, out) } }
    }

    /// Variance with Bessel's `correction` (1: unbiased, as PyTorch's default; 0: population).
    public func variance(dims: [Int] = [], correction: Int = 1, keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("var", [self]) { out in withInt64s(dims) { ct_tensor_var(handle, $0, $1, Int64(correction), keepDim, out) } }
    }

    public func standardDeviation(dims: [Int] = [], correction: Int = 1, keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("std", [self]) { out in withInt64s(dims) { ct_tensor_std(handle, $0, $1, Int64(correction), keepDim, out) } }
    }

    public func amin(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("amin", [self]) { out in withInt64s(dims) { ct_tensor_amin(handle, $0, $1, keepDim, out) } }
    }

    public func amax(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("amax", [self]) { out in withInt64s(dims) { ct_tensor_amax(handle, $0, $1, keepDim, out) } }
    }

    /// log Σ exp(x), computed stably.
    public func logsumexp(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("logsumexp", [self]) { out in withInt64s(dims) { ct_tensor_logsumexp(handle, $0, $1, keepDim, out) } }
    }

    /// Vector p-norm (torch.linalg.vector_norm).
    public func norm(p: Double = 2, dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("norm", [self]) { out in withInt64s(dims) { ct_tensor_norm(handle, p, $0, $1, keepDim, out) } }
    }

    public func all() throws -> Tensor { try unary("all", ct_tensor_all) }
    public func any() throws -> Tensor { try unary("any", ct_tensor_any) }

    /// Minimum along `dim` with its indices.
    public func min(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try Tensor.makePair("min", [self]) { ct_tensor_min_dim(handle, Int64(dim), keepDim, $0, $1) }
    }

    /// Maximum along `dim` with its indices.
    public func max(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try Tensor.makePair("max", [self]) { ct_tensor_max_dim(handle, Int64(dim), keepDim, $0, $1) }
    }

    public func argmax(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("argmax", [self]) { ct_tensor_argmax(handle, Int64(dim), keepDim, $0) }
    }

    public func argmin(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("argmin", [self]) { ct_tensor_argmin(handle, Int64(dim), keepDim, $0) }
    }

    public func cumsum(dim: Int) throws -> Tensor { try Tensor.make("cumsum", [self]) { ct_tensor_cumsum(handle, Int64(dim), $0) } }
    public func cumprod(dim: Int) throws -> Tensor { try Tensor.make("cumprod", [self]) { ct_tensor_cumprod(handle, Int64(dim), $0) } }

    /// The `k` largest (or smallest) entries along `dim`, with indices.
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true, sorted: Bool = true) throws -> (values: Tensor, indices: Tensor) {
        try Tensor.makePair("topk", [self]) { ct_tensor_topk(handle, Int64(k), Int64(dim), largest, sorted, $0, $1) }
    }

    public func sorted(dim: Int = -1, descending: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try Tensor.makePair("sort", [self]) { ct_tensor_sort(handle, Int64(dim), descending, $0, $1) }
    }

    /// Quantiles `q` (in [0, 1]) with linear interpolation, over `dim` or the flattened tensor.
    public func quantile(_ q: Tensor, dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("quantile", [self, q]) { ct_tensor_quantile(handle, q.handle, Int64(dim ?? 0), dim != nil, keepDim, $0) }
    }

    /// Histogram with `bins` equal bins over [min, max] (torch.histc).
    public func histc(bins: Int, min: Double, max: Double) throws -> Tensor {
        try Tensor.make("histc", [self]) { ct_tensor_histc(handle, Int64(bins), min, max, $0) }
    }
}
