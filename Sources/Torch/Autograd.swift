import CTorch

extension Tensor {
    /// Marks a leaf tensor as a parameter whose gradient should be accumulated.
    public func setRequiresGrad(_ value: Bool = true) throws {
        try inPlace("requires_grad_", [], ct_tensor_set_requires_grad(handle, value))
    }

    /// Returns self after marking it as requiring gradients.
    @discardableResult
    public func requiringGrad() throws -> Tensor {
        try setRequiresGrad(true)
        return self
    }

    /// The gradient accumulated by ``backward(seed:retainGraph:createGraph:)``, or nil.
    public var grad: Tensor? {
        get throws {
            var out: OpaquePointer?
            try check(ct_tensor_grad(handle, &out), "grad", [self])
            return out.map { Tensor(owning: $0) }
        }
    }

    /// Replaces the accumulated gradient (nil drops it).
    public func setGrad(_ gradient: Tensor?) throws {
        try inPlace("set_grad", [], ct_tensor_set_grad(handle, gradient.handleOrNull))
    }

    /// Drops the accumulated gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() throws {
        try inPlace("zero_grad", [], ct_tensor_zero_grad(handle))
    }

    /// A tensor sharing storage but cut from the autograd graph.
    public func detached() throws -> Tensor { try unary("detach", ct_tensor_detach) }

    /// Back-propagates from this tensor; `seed` is ∂L/∂self (omit for a scalar).
    public func backward(seed: Tensor? = nil, retainGraph: Bool = false, createGraph: Bool = false) throws {
        try check(ct_tensor_backward(handle, seed.handleOrNull, retainGraph, createGraph), "backward", [self])
    }
}

/// Gradients of `outputs` with respect to `inputs` (torch.autograd.grad): vector–Jacobian
/// products with `gradOutputs` as the vectors; with `createGraph` the results are themselves
/// differentiable. Entries are nil for unused inputs when `allowUnused`.
public func gradients(
    of outputs: [Tensor], withRespectTo inputs: [Tensor], gradOutputs: [Tensor]? = nil,
    retainGraph: Bool? = nil, createGraph: Bool = false, allowUnused: Bool = false
) throws -> [Tensor?] {
    if let gradOutputs, gradOutputs.count != outputs.count {
        throw TorchError.invalidArgument("autograd.grad: \(gradOutputs.count) grad outputs for \(outputs.count) outputs")
    }
    var results = [OpaquePointer?](repeating: nil, count: inputs.count)
    let status = withHandles(outputs) { outs, outCount in
        withHandles(inputs) { ins, inCount in
            results.withUnsafeMutableBufferPointer { slots in
                if let gradOutputs {
                    return withHandles(gradOutputs) { seeds, _ in
                        ct_autograd_grad(outs, outCount, ins, inCount, seeds, retainGraph ?? createGraph, createGraph, allowUnused, slots.baseAddress)
                    }
                }
                return ct_autograd_grad(outs, outCount, ins, inCount, nil, retainGraph ?? createGraph, createGraph, allowUnused, slots.baseAddress)
            }
        }
    }
    try check(status, "autograd.grad", outputs + inputs)
    return results.map { $0.map { Tensor(owning: $0) } }
}

/// Whether operations are currently recorded for autograd on this thread.
public var isGradEnabled: Bool { ct_grad_mode_is_enabled() }

/// Runs `body` with gradient recording switched off, restoring the previous mode afterwards
/// (also when `body` throws).
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try withGradMode(false, body)
}

/// Runs `body` with gradient recording switched on or off, restoring the previous mode afterwards.
public func withGradMode<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
    let previous = ct_grad_mode_is_enabled()
    ct_grad_mode_set_enabled(enabled)
    defer { ct_grad_mode_set_enabled(previous) }
    return try body()
}

// MARK: - in-place updates (optimizers, EMA; call under withNoGrad for parameters)

extension Tensor {
    public func copy_(_ source: Tensor) throws { try inPlace("copy_", [source], ct_tensor_copy_(handle, source.handle)) }
    public func fill_(_ value: Double) throws { try inPlace("fill_", [], ct_tensor_fill_(handle, value)) }
    public func zero_() throws { try inPlace("zero_", [], ct_tensor_zero_(handle)) }
    public func mul_(_ value: Double) throws { try inPlace("mul_", [], ct_tensor_mul_scalar_(handle, value)) }
    public func mul_(_ other: Tensor) throws { try inPlace("mul_", [other], ct_tensor_mul_(handle, other.handle)) }
    public func add_(_ value: Double) throws { try inPlace("add_", [], ct_tensor_add_scalar_(handle, value)) }
    /// self += alpha · other
    public func add_(_ other: Tensor, alpha: Double = 1) throws { try inPlace("add_", [other], ct_tensor_add_(handle, other.handle, alpha)) }
    /// self += value · a · b
    public func addcmul_(_ a: Tensor, _ b: Tensor, value: Double = 1) throws {
        try inPlace("addcmul_", [a, b], ct_tensor_addcmul_(handle, a.handle, b.handle, value))
    }
    /// self += value · a / b
    public func addcdiv_(_ a: Tensor, _ b: Tensor, value: Double = 1) throws {
        try inPlace("addcdiv_", [a, b], ct_tensor_addcdiv_(handle, a.handle, b.handle, value))
    }
    /// self += weight · (end − self)
    public func lerp_(_ end: Tensor, weight: Double) throws { try inPlace("lerp_", [end], ct_tensor_lerp_(handle, end.handle, weight)) }
    public func clamp_(min: Double? = nil, max: Double? = nil) throws {
        try inPlace("clamp_", [], ct_tensor_clamp_(handle, min ?? 0, min != nil, max ?? 0, max != nil))
    }
}
