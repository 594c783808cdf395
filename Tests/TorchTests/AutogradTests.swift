import Foundation
import Testing
import Torch
import _TestSupport

private struct Boom: Error {}

@Suite struct AutogradTests {
    @Test func backwardOfAScalarFillsGrad() throws {
        let x = try tensor([1, 2, 3]).requiringGrad()
        #expect(x.requiresGrad)
        #expect(x.isLeaf)
        #expect(try x.grad == nil)
        try (x * x).sum().backward()
        try expectValues(#require(try x.grad), [2, 4, 6], shape: [3])
    }

    @Test func backwardWithASeedGradient() throws {
        let x = try tensor([1, 2, 3]).requiringGrad()
        let y = try x * x  // dy/dx = 2x, not a scalar, so a seed is required
        #expect(throws: TorchError.self) { try y.backward() }
        try y.backward(seed: tensor([1, 0.5, -2]))
        try expectValues(#require(try x.grad), [2, 2, -12], shape: [3])
    }

    @Test func gradAccumulatesOverBackwardCallsUntilZeroGrad() throws {
        let x = try tensor([1, -1]).requiringGrad()
        let y = try (x * 3).sum()
        try y.backward(retainGraph: true)
        try y.backward()
        try expectValues(#require(try x.grad), [6, 6], shape: [2])
        try x.zeroGrad()
        #expect(try x.grad == nil)
        try (x * x).sum().backward()
        try expectValues(#require(try x.grad), [2, -2], shape: [2])
        try x.setGrad(tensor([5, 5]))
        try expectValues(#require(try x.grad), [5, 5], shape: [2])
        try x.setGrad(nil)
        #expect(try x.grad == nil)
    }

    @Test func mismatchedGradientsAreRejected() throws {
        let x = try tensor([1, 2]).requiringGrad()
        let y = try x * 3
        #expect(throws: TorchError.self) { try y.backward(seed: tensor([1, 2, 3])) }
        // Like PyTorch's `x.grad = g`, a gradient of another shape, dtype or device is refused.
        #expect(throws: TorchError.self) { try x.setGrad(tensor([1, 2, 3])) }
        #expect(throws: TorchError.self) { try x.setGrad(Tensor.ones([2], dtype: .float32)) }
        #expect(try x.grad == nil)
        try x.setGrad(tensor([0.5, 0.5]))
        try y.sum().backward()
        try expectValues(#require(try x.grad), [3.5, 3.5], shape: [2], "backward accumulates onto a set gradient")
    }

    @Test func backwardTwiceWithoutRetainingTheGraphFails() throws {
        let x = try tensor([2]).requiringGrad()
        let y = try exp(x).sum()
        try y.backward()
        #expect(throws: TorchError.self) { try y.backward() }
    }

    @Test func detachedStopsGradients() throws {
        let x = try tensor([1, 2]).requiringGrad()
        let frozen = try x.detached()
        #expect(!frozen.requiresGrad)
        // y = x · stopgrad(x): dy/dx = stopgrad(x), not 2x.
        try (x * frozen).sum().backward()
        try expectValues(#require(try x.grad), [1, 2], shape: [2])
        // A detached tensor shares storage with its source.
        try withNoGrad { try x.add_(10) }
        try expectValues(frozen, [11, 12], shape: [2])
    }

    @Test func secondDerivativeWithCreateGraph() throws {
        let x = try tensor([-1, 0.5, 2]).requiringGrad()
        let y = try x.pow(3).sum()
        let first = try #require(try gradients(of: [y], withRespectTo: [x], createGraph: true)[0])
        try expectValues(first, [3, 0.75, 12], shape: [3])  // 3x²
        #expect(first.requiresGrad)
        let second = try #require(try gradients(of: [first.sum()], withRespectTo: [x])[0])
        try expectValues(second, [-6, 3, 12], shape: [3])  // 6x
    }

    @Test func gradientsWithSeedsAndSeveralInputs() throws {
        let a = try tensor([1, 2]).requiringGrad()
        let b = try tensor([3, 4]).requiringGrad()
        let y = try a * b
        let grads = try gradients(of: [y], withRespectTo: [a, b], gradOutputs: [tensor([1, 10])])
        try expectValues(#require(grads[0]), [3, 40], shape: [2])
        try expectValues(#require(grads[1]), [1, 20], shape: [2])
        // autograd.grad leaves .grad alone.
        #expect(try a.grad == nil)
        #expect(throws: TorchError.self) { try gradients(of: [y], withRespectTo: [a], gradOutputs: []) }
    }

    @Test func allowUnusedReturnsNil() throws {
        let x = try tensor([1, 2]).requiringGrad()
        let unused = try tensor([3]).requiringGrad()
        let y = try (x * 2).sum()
        let grads = try gradients(of: [y], withRespectTo: [x, unused], retainGraph: true, allowUnused: true)
        try expectValues(#require(grads[0]), [2, 2], shape: [2])
        #expect(grads[1] == nil)
        #expect(throws: TorchError.self) { try gradients(of: [y], withRespectTo: [x, unused]) }
    }

    @Test func withNoGradStopsRecordingAndRestores() throws {
        #expect(isGradEnabled)
        let x = try tensor([1]).requiringGrad()
        let y = try withNoGrad {
            #expect(!isGradEnabled)
            return try x * 2
        }
        #expect(!y.requiresGrad)
        #expect(isGradEnabled)
        let z = try x * 2
        #expect(z.requiresGrad)
    }

    @Test func withNoGradRestoresTheModeWhenTheBodyThrows() throws {
        #expect(throws: Boom.self) { try withNoGrad { throw Boom() } }
        #expect(isGradEnabled)
        // Nested scopes restore the mode of the enclosing scope, not "on".
        withNoGrad {
            #expect(throws: Boom.self) {
                try withGradMode(true) {
                    #expect(isGradEnabled)
                    throw Boom()
                }
            }
            #expect(!isGradEnabled)
        }
        #expect(isGradEnabled)
    }

    @Test func setRequiresGradAndAlias() throws {
        let x = try tensor([1, 2])
        #expect(!x.requiresGrad)
        try x.setRequiresGrad()
        #expect(x.requiresGrad)
        let sameTensor = try x.alias()
        try (sameTensor * 4).sum().backward()
        try expectValues(#require(try x.grad), [4, 4], shape: [2])
        try x.setRequiresGrad(false)
        #expect(!x.requiresGrad)
        #expect(try !(x * 2).requiresGrad)
    }

    // MARK: - in-place updates

    private func base() throws -> Tensor { try tensor([1, -2, 3, 0.5]) }
    private func a() throws -> Tensor { try tensor([2, 4, -1, 3]) }
    private func b() throws -> Tensor { try tensor([0.5, 2, 4, -8]) }

    @Test func inPlaceUpdatesFollowTheirFormulas() throws {
        let x0: [Double] = [1, -2, 3, 0.5]
        let a0: [Double] = [2, 4, -1, 3]
        let b0: [Double] = [0.5, 2, 4, -8]

        var t = try base()
        try t.add_(a(), alpha: 0.5)
        try expectValues(t, (0..<4).map { x0[$0] + 0.5 * a0[$0] }, shape: [4])

        t = try base()
        try t.add_(a())
        try expectValues(t, (0..<4).map { x0[$0] + a0[$0] }, shape: [4])

        t = try base()
        try t.add_(1.5)
        try expectValues(t, x0.map { $0 + 1.5 }, shape: [4])

        t = try base()
        try t.addcmul_(a(), b(), value: -0.25)
        try expectValues(t, (0..<4).map { x0[$0] - 0.25 * a0[$0] * b0[$0] }, shape: [4])

        t = try base()
        try t.addcdiv_(a(), b(), value: 3)
        try expectValues(t, (0..<4).map { x0[$0] + 3 * a0[$0] / b0[$0] }, shape: [4])

        t = try base()
        try t.lerp_(a(), weight: 0.2)
        try expectValues(t, (0..<4).map { x0[$0] + 0.2 * (a0[$0] - x0[$0]) }, shape: [4])

        t = try base()
        try t.mul_(-3)
        try expectValues(t, x0.map { -3 * $0 }, shape: [4])

        t = try base()
        try t.mul_(b())
        try expectValues(t, (0..<4).map { x0[$0] * b0[$0] }, shape: [4])

        t = try base()
        try t.copy_(a())
        try expectValues(t, a0, shape: [4])

        t = try base()
        try t.copy_(tensor([7]))  // broadcasts
        try expectValues(t, [7, 7, 7, 7], shape: [4])

        t = try base()
        try t.clamp_(min: -1, max: 2)
        try expectValues(t, x0.map { Swift.min(Swift.max($0, -1), 2) }, shape: [4])

        t = try base()
        try t.clamp_(min: 0.75)
        try expectValues(t, x0.map { Swift.max($0, 0.75) }, shape: [4])

        t = try base()
        try t.clamp_(max: 0.75)
        try expectValues(t, x0.map { Swift.min($0, 0.75) }, shape: [4])

        t = try base()
        try t.fill_(2.5)
        try expectValues(t, [2.5, 2.5, 2.5, 2.5], shape: [4])
        try t.zero_()
        try expectValues(t, [0, 0, 0, 0], shape: [4])
    }

    @Test func inPlaceUpdatesKeepTheTensorIdentity() throws {
        // An optimizer step: a parameter updated under no-grad keeps requiresGrad and stays a leaf.
        let p = try tensor([1, 2]).requiringGrad()
        try (p * p).sum().backward()
        let g = try #require(try p.grad)
        try withNoGrad { try p.add_(g, alpha: -0.1) }
        try expectValues(p, [0.8, 1.6], shape: [2])
        #expect(p.requiresGrad)
        #expect(p.isLeaf)
        // Outside no-grad, updating a leaf that requires grad is refused.
        #expect(throws: TorchError.self) { try p.add_(1) }
    }

    @Test func inPlaceShapeMismatchThrows() throws {
        let t = try base()
        #expect(throws: TorchError.self) { try t.add_(tensor([1, 2, 3])) }
        #expect(throws: TorchError.self) { try t.copy_(tensor([1, 2, 3])) }
    }
}
