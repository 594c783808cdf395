import Foundation
import Torch

/// Base of the optimizers: walks the parameters, skips those without gradients, and keeps
/// per-parameter state tensors. A subclass writes only its per-parameter update.
open class Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    /// Number of completed `step()` calls.
    public private(set) var stepCount = 0
    /// Per-parameter state (moments etc.), created lazily on the first update of each parameter.
    public internal(set) var state: [[String: Tensor]]
    /// Updates each parameter has received. As PyTorch's per-parameter `step`, a parameter skipped
    /// for lack of a gradient does not advance, so its bias corrections start at its first update.
    var parameterSteps: [Int]

    public init(parameters: [Tensor], learningRate: Double) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.state = Array(repeating: [:], count: parameters.count)
        self.parameterSteps = Array(repeating: 0, count: parameters.count)
    }

    /// A short type name stored with saved state, so a mismatched restore is caught.
    open var kind: String { String(describing: type(of: self)) }

    /// Drops every parameter's gradient.
    public func zeroGrad() throws {
        for p in parameters { try p.zeroGrad() }
    }

    /// Applies one update to every parameter that has a gradient.
    public func step() throws {
        stepCount += 1
        try withNoGrad {
            for (index, parameter) in parameters.enumerated() {
                guard let gradient = try parameter.grad else { continue }
                parameterSteps[index] += 1
                try update(parameter, gradient: gradient, state: &state[index], step: parameterSteps[index])
            }
        }
    }

    /// Updates one parameter in place. `step` counts this parameter's updates, from 1.
    open func update(_ parameter: Tensor, gradient: Tensor, state: inout [String: Tensor], step: Int) throws {
        throw ModuleError.incompatibleState("\(kind) does not implement update(_:gradient:state:step:)")
    }

    /// The state as tensors (`state.<index>.<name>`) plus metadata (`kind`, `step`, `lr`, `parameters`,
    /// `parameter_steps`), for checkpoints.
    public func stateDict() -> (tensors: [String: Tensor], metadata: [String: String]) {
        var tensors: [String: Tensor] = [:]
        for (index, entries) in state.enumerated() {
            for (name, t) in entries { tensors["state.\(index).\(name)"] = t }
        }
        let metadata = [
            "kind": kind, "step": String(stepCount), "lr": String(learningRate), "parameters": String(parameters.count),
            "parameter_steps": parameterSteps.map(String.init).joined(separator: ","),
        ]
        return (tensors, metadata)
    }

    /// Restores what ``stateDict()`` saved, so training resumes exactly.
    public func load(tensors: [String: Tensor], metadata: [String: String]) throws {
        guard metadata["kind"] == kind else {
            throw ModuleError.incompatibleState("optimizer state was saved by \(metadata["kind"] ?? "?") but is loaded into \(kind)")
        }
        guard let step = metadata["step"].flatMap(Int.init), let lr = metadata["lr"].flatMap(Double.init),
            metadata["parameters"] == String(parameters.count)
        else {
            throw ModuleError.incompatibleState(
                "optimizer state is for \(metadata["parameters"] ?? "?") parameters, this optimizer has \(parameters.count)")
        }
        let steps = metadata["parameter_steps"].map { $0.split(separator: ",", omittingEmptySubsequences: false).compactMap { Int($0) } }
        guard let steps, steps.count == parameters.count else {
            throw ModuleError.incompatibleState(
                "optimizer state has parameter_steps '\(metadata["parameter_steps"] ?? "")', expected \(parameters.count) step counts")
        }
        var restored = Array(repeating: [String: Tensor](), count: parameters.count)
        for (key, t) in tensors {
            let parts = key.split(separator: ".", maxSplits: 2)
            guard parts.count == 3, parts[0] == "state", let index = Int(parts[1]), index < parameters.count else {
                throw ModuleError.incompatibleState("unexpected optimizer state key '\(key)'")
            }
            restored[index][String(parts[2])] = try t.to(dtype: parameters[index].dtype, device: parameters[index].device)
        }
        state = restored
        parameterSteps = steps
        stepCount = step
        learningRate = lr
    }

    func zerosLike(_ t: Tensor) throws -> Tensor { try t.zerosLike() }
}

/// Adam (Kingma & Ba) exactly as PyTorch's `torch.optim.Adam`; `weightDecay` is L2 added to the gradient.
public class Adam: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: Double

    public init(parameters: [Tensor], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                eps: Double = 1e-8, weightDecay: Double = 0) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        super.init(parameters: parameters, learningRate: learningRate)
    }

    /// Decoupled weight decay is AdamW's; Adam folds it into the gradient.
    func decay(_ parameter: Tensor, _ gradient: Tensor) throws -> Tensor {
        weightDecay == 0 ? gradient : try gradient + weightDecay * parameter
    }

    override public func update(_ parameter: Tensor, gradient: Tensor, state: inout [String: Tensor], step: Int) throws {
        let g = try decay(parameter, gradient)
        let m = try state["exp_avg"] ?? zerosLike(parameter)
        let v = try state["exp_avg_sq"] ?? zerosLike(parameter)
        state["exp_avg"] = m
        state["exp_avg_sq"] = v
        try m.lerp_(g, weight: 1 - beta1)
        try v.mul_(beta2)
        try v.addcmul_(g, g, value: 1 - beta2)
        let biasCorrection1 = 1 - Foundation.pow(beta1, Double(step))
        let biasCorrection2 = 1 - Foundation.pow(beta2, Double(step))
        let denominator = try v.sqrt() / biasCorrection2.squareRoot() + eps
        try parameter.addcdiv_(m, denominator, value: -learningRate / biasCorrection1)
    }
}

/// AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, as `torch.optim.AdamW`.
public final class AdamW: Adam {
    override public init(parameters: [Tensor], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                eps: Double = 1e-8, weightDecay: Double = 1e-2) {
        super.init(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay)
    }

    override func decay(_ parameter: Tensor, _ gradient: Tensor) throws -> Tensor {
        if weightDecay != 0 { try parameter.mul_(1 - learningRate * weightDecay) }
        return gradient
    }
}

/// Adamax (infinity-norm Adam), as `torch.optim.Adamax`.
public final class Adamax: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double

    public init(parameters: [Tensor], learningRate: Double = 2e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        super.init(parameters: parameters, learningRate: learningRate)
    }

    override public func update(_ parameter: Tensor, gradient g: Tensor, state: inout [String: Tensor], step: Int) throws {
        let m = try state["exp_avg"] ?? zerosLike(parameter)
        let u = try state["exp_inf"] ?? zerosLike(parameter)
        try m.lerp_(g, weight: 1 - beta1)
        let norm = try maximum(u * beta2, g.abs() + eps)
        try u.copy_(norm)
        state["exp_avg"] = m
        state["exp_inf"] = u
        let clr = learningRate / (1 - Foundation.pow(beta1, Double(step)))
        try parameter.addcdiv_(m, u, value: -clr)
    }
}

/// Rectified Adam (Liu et al.), as `torch.optim.RAdam` (without decoupled decay).
public final class RAdam: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double

    public init(parameters: [Tensor], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        super.init(parameters: parameters, learningRate: learningRate)
    }

    override public func update(_ parameter: Tensor, gradient g: Tensor, state: inout [String: Tensor], step: Int) throws {
        let m = try state["exp_avg"] ?? zerosLike(parameter)
        let v = try state["exp_avg_sq"] ?? zerosLike(parameter)
        state["exp_avg"] = m
        state["exp_avg_sq"] = v
        try m.lerp_(g, weight: 1 - beta1)
        try v.mul_(beta2)
        try v.addcmul_(g, g, value: 1 - beta2)
        let t = Double(step)
        let biasCorrection1 = 1 - Foundation.pow(beta1, t)
        let biasCorrection2 = 1 - Foundation.pow(beta2, t)
        let mHat = try m / biasCorrection1
        let rhoInf = 2 / (1 - beta2) - 1
        let rhoT = rhoInf - 2 * t * Foundation.pow(beta2, t) / biasCorrection2
        if rhoT > 5 {
            let rect = ((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)).squareRoot()
            let adaptive = try biasCorrection2.squareRoot() / (v.sqrt() + eps)
            try parameter.add_(mHat * adaptive, alpha: -learningRate * rect)
        } else {
            try parameter.add_(mHat, alpha: -learningRate)
        }
    }
}

/// Stochastic gradient descent with optional (Nesterov) momentum, as `torch.optim.SGD`.
public final class SGD: Optimizer {
    public let momentum: Double
    public let dampening: Double
    public let nesterov: Bool
    public let weightDecay: Double

    public init(parameters: [Tensor], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                nesterov: Bool = false, weightDecay: Double = 0) {
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        super.init(parameters: parameters, learningRate: learningRate)
    }

    override public func update(_ parameter: Tensor, gradient: Tensor, state: inout [String: Tensor], step: Int) throws {
        var g = weightDecay == 0 ? gradient : try gradient + weightDecay * parameter
        if momentum != 0 {
            let buffer: Tensor
            if let existing = state["momentum_buffer"] {
                buffer = existing
                try buffer.mul_(momentum)
                try buffer.add_(g, alpha: 1 - dampening)
            } else {
                buffer = try g.cloned()
                state["momentum_buffer"] = buffer
            }
            g = nesterov ? try g + momentum * buffer : buffer
        }
        try parameter.add_(g, alpha: -learningRate)
    }
}

/// Scales gradients so their global L2 norm is at most `maxNorm` (PyTorch `clip_grad_norm_`).
/// Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Double) throws -> Double {
    let gradients = try parameters.compactMap { try $0.grad }
    guard !gradients.isEmpty else { return 0 }
    return try withNoGrad {
        let norms = try gradients.map { try $0.norm().to(dtype: .float64) }
        let total = try Tensor.stack(norms).norm().item()
        let coefficient = maxNorm / (total + 1e-6)
        if coefficient < 1 {
            for g in gradients { try g.mul_(coefficient) }
        }
        return total
    }
}

/// Scales each gradient on its own so its L2 norm is at most `maxNorm`: g ← g·maxNorm/max(‖g‖, maxNorm),
/// as TensorFlow's `clip_by_norm` (Keras optimizers' `clipnorm`, used by CaloScore v2). Returns the
/// norms before clipping, in the order of `parameters` (0 for a parameter without gradient).
@discardableResult
public func clipGradientNormPerTensor(_ parameters: [Tensor], maxNorm: Double) throws -> [Double] {
    try withNoGrad {
        try parameters.map { parameter in
            guard let gradient = try parameter.grad else { return 0 }
            let norm = try gradient.to(dtype: .float64).norm().item()
            if norm > maxNorm { try gradient.mul_(maxNorm / norm) }
            return norm
        }
    }
}
