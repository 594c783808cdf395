import Foundation
import Testing
import Torch
import TorchNN
import _TestSupport

/// The optimizer settings of Fixtures/make_fixtures.py (`OPTIMIZERS`).
enum OptimizerCase: String, CaseIterable, CustomTestStringConvertible {
    case adam, adamL2 = "adam_l2", adamw, adamax, radam, sgd
    case sgdMomentum = "sgd_momentum", sgdNesterov = "sgd_nesterov", adamLateParameter = "adam_late_parameter"

    var testDescription: String { rawValue }

    func make(_ parameters: [Tensor]) -> Optimizer {
        switch self {
        case .adam, .adamLateParameter: return Adam(parameters: parameters, learningRate: 0.1)
        case .adamL2: return Adam(parameters: parameters, learningRate: 0.1, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1)
        case .adamw: return AdamW(parameters: parameters, learningRate: 0.1, weightDecay: 0.05)
        case .adamax: return Adamax(parameters: parameters, learningRate: 0.2, beta1: 0.8, beta2: 0.99)
        case .radam: return RAdam(parameters: parameters, learningRate: 0.1)
        case .sgd: return SGD(parameters: parameters, learningRate: 0.1)
        case .sgdMomentum: return SGD(parameters: parameters, learningRate: 0.05, momentum: 0.9, dampening: 0.2, weightDecay: 0.01)
        case .sgdNesterov: return SGD(parameters: parameters, learningRate: 0.05, momentum: 0.9, nesterov: true)
        }
    }
}

/// loss(x, W) = Σ ½·a·(x − c)² + Σ (W·u − t)², the fixed float64 problem of the fixture.
private struct Problem {
    let a, c, u, t, x0, w0: Tensor
    let lateSteps: Int

    init(_ fixture: [String: Tensor], lateSteps: Int) throws {
        func get(_ name: String) throws -> Tensor { try #require(fixture["problem.\(name)"]) }
        (a, c, u, t, x0, w0) = try (get("a"), get("c"), get("u"), get("t"), get("x0"), get("w0"))
        self.lateSteps = lateSteps
    }

    func loss(_ x: Tensor, _ w: Tensor, includeW: Bool = true) throws -> Tensor {
        let r = try x - c
        let quadratic = try (0.5 * a * r * r).sum()
        guard includeW else { return quadratic }
        let s = try w.matmul(u) - t
        return try quadratic + (s * s).sum()
    }
}

@Suite struct OptimizerTests {
    // MARK: closed forms

    /// Two Adam steps by hand: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with
    /// m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ); L2 decay adds wd·θ to g, decoupled decay scales θ by 1 − lr·wd first.
    @Test(arguments: [(false, 0.0), (false, 0.1), (true, 0.1)])
    func adamStepsMatchTheClosedForm(decoupled: Bool, weightDecay: Double) throws {
        let (lr, beta1, beta2, eps) = (0.05, 0.8, 0.95, 1e-3)
        let theta0: [Double] = [1.0, -2.0, 0.5, 0.0]
        let gradients: [[Double]] = [[0.3, -1.2, 0.0, 2.0], [-0.1, 0.4, 0.7, 2.0]]
        let p = try Tensor(theta0).requiringGrad()
        let optimizer = decoupled
            ? AdamW(parameters: [p], learningRate: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay)
            : Adam(parameters: [p], learningRate: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay)

        var theta = theta0
        var m = [Double](repeating: 0, count: 4), v = m
        for (index, g) in gradients.enumerated() {
            let step = Double(index + 1)
            try p.setGrad(Tensor(g))
            try optimizer.step()
            for i in 0..<4 {
                var gi = g[i]
                if decoupled { theta[i] *= 1 - lr * weightDecay } else { gi += weightDecay * theta[i] }
                m[i] = beta1 * m[i] + (1 - beta1) * gi
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                let mHat = m[i] / (1 - Foundation.pow(beta1, step))
                let vHat = v[i] / (1 - Foundation.pow(beta2, step))
                theta[i] -= lr * mHat / (vHat.squareRoot() + eps)
            }
            try expectClose(p, Tensor(theta), atol: 1e-12, "step \(index + 1)")
        }
        #expect(optimizer.stepCount == 2)
        let state = optimizer.state[0]
        try expectClose(try #require(state["exp_avg"]), Tensor(m), atol: 1e-12)
        try expectClose(try #require(state["exp_avg_sq"]), Tensor(v), atol: 1e-12)
    }

    @Test func sgdStepIsTheGradientStep() throws {
        let p = try Tensor([1.0, 2.0]).requiringGrad()
        let optimizer = SGD(parameters: [p], learningRate: 0.5, weightDecay: 0.2)
        try p.setGrad(Tensor([0.4, -1.0]))
        try optimizer.step()
        // θ − lr·(g + wd·θ)
        try expectClose(p, Tensor([1 - 0.5 * (0.4 + 0.2), 2 - 0.5 * (-1.0 + 0.4)]), atol: 1e-15)
    }

    // MARK: PyTorch trajectories

    @Test(arguments: OptimizerCase.allCases)
    func trajectoryMatchesPyTorch(_ kind: OptimizerCase) throws {
        let fixture = try Fixtures.tensors("optimizers.safetensors")
        let lateSteps = try #require(Int(Safetensors.open(Fixtures.url("optimizers.safetensors")).metadata["late_steps"] ?? ""))
        let problem = try Problem(fixture, lateSteps: lateSteps)
        let expectedX = try #require(fixture["\(kind.rawValue).x"])
        let expectedW = try #require(fixture["\(kind.rawValue).w"])
        let steps = expectedX.dim(0)
        #expect(steps >= 10)

        let x = try problem.x0.cloned().requiringGrad()
        let w = try problem.w0.cloned().requiringGrad()
        let optimizer = kind.make([x, w])
        for step in 0..<steps {
            try optimizer.zeroGrad()
            let includeW = !(kind == .adamLateParameter && step < lateSteps)
            try problem.loss(x, w, includeW: includeW).backward()
            try optimizer.step()
            try expectClose(x, expectedX.selecting(dim: 0, index: step), atol: 1e-6, "\(kind.rawValue) x after step \(step + 1)")
            try expectClose(w, expectedW.selecting(dim: 0, index: step), atol: 1e-6, "\(kind.rawValue) W after step \(step + 1)")
        }
    }

    // MARK: gradients

    @Test func zeroGradDropsGradients() throws {
        let x = try Tensor([1.0, 2.0]).requiringGrad()
        let optimizer = Adam(parameters: [x])
        try (x * x).sum().backward()
        #expect(try x.grad != nil)
        try optimizer.zeroGrad()
        #expect(try x.grad == nil)
        // Stepping with no gradients changes nothing and creates no state.
        try optimizer.step()
        #expect(try values(x) == [1, 2])
        #expect(optimizer.state[0].isEmpty)
    }

    @Test(arguments: OptimizerCase.allCases)
    func parametersWithoutGradientsAreSkipped(_ kind: OptimizerCase) throws {
        let used = try Tensor([1.0, -1.0]).requiringGrad()
        let unused = try Tensor([3.0, 4.0]).requiringGrad()
        let optimizer = kind.make([used, unused])
        for _ in 0..<3 {
            try optimizer.zeroGrad()
            try (used * used).sum().backward()
            try optimizer.step()
        }
        #expect(try values(unused) == [3, 4])
        #expect(optimizer.state[1].isEmpty)
        #expect(try values(used) != [1, -1])
    }

    // MARK: state

    @Test func stateRoundTripsThroughStateDict() throws {
        func run(_ optimizer: Optimizer, _ x: Tensor, steps: Int) throws {
            for _ in 0..<steps {
                try optimizer.zeroGrad()
                try (x * x * x).sum().backward()
                try optimizer.step()
            }
        }
        let x = try Tensor([0.5, -0.3, 0.8]).requiringGrad()
        let optimizer = RAdam(parameters: [x], learningRate: 0.05)
        try run(optimizer, x, steps: 4)
        let saved = optimizer.stateDict()
        #expect(saved.metadata["kind"] == "RAdam")
        #expect(saved.metadata["step"] == "4" && saved.metadata["parameter_steps"] == "4")
        #expect(Set(saved.tensors.keys) == ["state.0.exp_avg", "state.0.exp_avg_sq"])

        let y = try x.detached().cloned().requiringGrad()
        let restored = RAdam(parameters: [y], learningRate: 1)
        try restored.load(tensors: saved.tensors.mapValues { try $0.cloned() }, metadata: saved.metadata)
        #expect(restored.stepCount == 4 && restored.learningRate == 0.05)
        try run(optimizer, x, steps: 4)
        try run(restored, y, steps: 4)
        #expect(try values(x) == values(y))
    }

    @Test func loadRejectsAnotherKindOrParameterCount() throws {
        let x = try Tensor([1.0]).requiringGrad()
        let y = try Tensor([2.0]).requiringGrad()
        let adam = Adam(parameters: [x, y])
        try (x * y).sum().backward()
        try adam.step()
        let saved = adam.stateDict()

        #expect(throws: ModuleError.incompatibleState("optimizer state was saved by Adam but is loaded into AdamW")) {
            try AdamW(parameters: [x, y]).load(tensors: saved.tensors, metadata: saved.metadata)
        }
        #expect(throws: ModuleError.incompatibleState("optimizer state is for 2 parameters, this optimizer has 1")) {
            try Adam(parameters: [x]).load(tensors: saved.tensors, metadata: saved.metadata)
        }
        var tensors = saved.tensors
        tensors["state.7.exp_avg"] = try Tensor([0.0])
        #expect(throws: ModuleError.self) { try Adam(parameters: [x, y]).load(tensors: tensors, metadata: saved.metadata) }
    }

    // MARK: clipGradientNorm

    @Test func clippingScalesGradientsToTheMaximumNorm() throws {
        let a = try Tensor([0.0, 0.0]).requiringGrad()
        let b = try Tensor([0.0]).requiringGrad()
        let unused = try Tensor([0.0]).requiringGrad()
        try a.setGrad(Tensor([3.0, 4.0]))
        try b.setGrad(Tensor([12.0]))
        // Global norm √(9 + 16 + 144) = 13; gradients scale by maxNorm/(13 + 1e-6).
        let norm = try clipGradientNorm([a, b, unused], maxNorm: 2)
        #expect(Swift.abs(norm - 13) < 1e-12)
        let scale = 2 / (13 + 1e-6)
        try expectClose(try #require(try a.grad), Tensor([3 * scale, 4 * scale]), atol: 1e-12)
        try expectClose(try #require(try b.grad), Tensor([12 * scale]), atol: 1e-12)
        #expect(try unused.grad == nil)
        let after = try values(#require(try a.grad)) + values(#require(try b.grad))
        #expect(Swift.abs(after.reduce(0) { $0 + $1 * $1 }.squareRoot() - 2) < 1e-6)
    }

    @Test func clippingBelowTheThresholdIsANoOp() throws {
        let a = try Tensor([0.0, 0.0]).requiringGrad()
        try a.setGrad(Tensor([0.3, -0.4]))
        let norm = try clipGradientNorm([a], maxNorm: 1)
        #expect(Swift.abs(norm - 0.5) < 1e-12)
        #expect(try values(#require(try a.grad)) == [0.3, -0.4])
        #expect(try clipGradientNorm([Tensor([1.0]).requiringGrad()], maxNorm: 1) == 0)
    }

    /// Each gradient is clipped on its own: [3, 4] (norm 5) becomes [1.2, 1.6] at maxNorm 2, [1] (norm 1) stays.
    @Test func perTensorClippingScalesEachGradientAlone() throws {
        let a = try Tensor([0.0, 0.0]).requiringGrad()
        let b = try Tensor([0.0]).requiringGrad()
        let unused = try Tensor([0.0]).requiringGrad()
        try a.setGrad(Tensor([3.0, 4.0]))
        try b.setGrad(Tensor([1.0]))
        let norms = try clipGradientNormPerTensor([a, b, unused], maxNorm: 2)
        #expect(norms == [5, 1, 0])
        try expectClose(try #require(try a.grad), Tensor([1.2, 1.6]), atol: 1e-12)
        #expect(try values(#require(try b.grad)) == [1])
        #expect(try unused.grad == nil)
    }
}
