import Torch

/// Compares two tensors element-wise: shapes first, then |a − b| ≤ atol + rtol·|b|.
/// The failure text prints both tensors (truncated) so a mismatch can be read off directly.
public func allClose(_ a: Tensor, _ b: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8) throws -> (ok: Bool, message: String) {
    guard a.shape == b.shape else { return (false, "shape \(a.shape) != \(b.shape)") }
    let x = try a.toArray(Double.self)
    let y = try b.toArray(Double.self)
    var worst = 0.0
    var worstIndex = -1
    for i in 0..<x.count {
        let excess = Swift.abs(x[i] - y[i]) - (atol + rtol * Swift.abs(y[i]))
        if excess > worst || (x[i].isNaN != y[i].isNaN) {
            worst = x[i].isNaN != y[i].isNaN ? .infinity : excess
            worstIndex = i
        }
    }
    if worstIndex < 0 { return (true, "") }
    func head(_ v: [Double]) -> String { v.prefix(8).map { String(format: "%.6g", $0) }.joined(separator: ", ") + (v.count > 8 ? ", …" : "") }
    return (false, "element \(worstIndex): \(x[worstIndex]) vs \(y[worstIndex]) (shape \(a.shape))\n  actual:   [\(head(x))]\n  expected: [\(head(y))]")
}

/// Central finite-difference gradient of a scalar function of `x` (float64).
public func numericalGradient(of f: (Tensor) throws -> Tensor, at x: Tensor, step: Double = 1e-6) throws -> Tensor {
    var values = try x.toArray(Double.self)
    var gradient = [Double](repeating: 0, count: values.count)
    for i in 0..<values.count {
        let original = values[i]
        values[i] = original + step
        let plus = try f(Tensor(values, shape: x.shape)).sum().item()
        values[i] = original - step
        let minus = try f(Tensor(values, shape: x.shape)).sum().item()
        values[i] = original
        gradient[i] = (plus - minus) / (2 * step)
    }
    return try Tensor(gradient, shape: x.shape)
}

/// Autograd gradient of `f(x).sum()` with respect to `x` (float64).
public func analyticGradient(of f: (Tensor) throws -> Tensor, at x: Tensor) throws -> Tensor {
    let leaf = try x.detached().cloned().requiringGrad()
    let y = try f(leaf).sum()
    guard let g = try gradients(of: [y], withRespectTo: [leaf], allowUnused: true)[0] else {
        return try x.zerosLike()
    }
    return g
}
