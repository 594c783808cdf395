import CTorch

extension Tensor {
    /// Matrix product with broadcasting (torch.matmul).
    public func matmul(_ other: Tensor) throws -> Tensor { try binary("matmul", other, ct_tensor_matmul) }

    /// Batched matrix product of `[b, n, m]` and `[b, m, p]`.
    public func bmm(_ other: Tensor) throws -> Tensor { try binary("bmm", other, ct_tensor_bmm) }
}

/// Matrix product with broadcasting (torch.matmul).
public func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try a.matmul(b) }

/// Einstein summation, e.g. `einsum("bij,bjk->bik", a, b)`.
public func einsum(_ equation: String, _ tensors: Tensor...) throws -> Tensor {
    try Tensor.make("einsum(\(equation))", tensors) { out in
        withHandles(tensors) { ct_tensor_einsum(equation, $0, $1, out) }
    }
}

/// Eigen-decomposition of a symmetric matrix (torch.linalg.eigh): ascending eigenvalues and the
/// eigenvectors as columns.
public func eigh(_ x: Tensor, upper: Bool = false) throws -> (eigenvalues: Tensor, eigenvectors: Tensor) {
    try Tensor.makePair("linalg.eigh", [x]) { ct_linalg_eigh(x.handle, upper, $0, $1) }
}

/// Pairwise p-norm distances between the rows of `a` `[n, d]` and `b` `[m, d]`: `[n, m]`.
public func cdist(_ a: Tensor, _ b: Tensor, p: Double = 2) throws -> Tensor {
    try Tensor.make("cdist", [a, b]) { ct_tensor_cdist(a.handle, b.handle, p, $0) }
}
