import Foundation
import Testing
import Torch
import TorchNN
import _TestSupport

/// Two float64 parameters, one nested, so keys are dotted.
final class EMATestModel: Module {
    final class Inner: Module {
        let weight: Tensor
        init(_ values: [Double]) throws {
            weight = try Tensor(values, shape: [2, 2]).requiringGrad()
            super.init()
        }
    }

    let scale: Tensor
    let inner: Inner

    init(scale: [Double], weight: [Double]) throws {
        self.scale = try Tensor(scale).requiringGrad()
        inner = try Inner(weight)
        super.init()
    }
}

@Suite struct EMATests {
    @Test(arguments: [1, 2, 7])
    func shadowFollowsTheClosedForm(updates k: Int) throws {
        let decay = 0.9
        let theta0Scale = [1.0, -2.0, 0.5], theta0Weight = [0.1, 0.2, 0.3, 0.4]
        let thetaScale = [3.0, 0.0, -1.0], thetaWeight = [-1.0, 1.0, 2.0, 0.0]
        let model = try EMATestModel(scale: theta0Scale, weight: theta0Weight)
        let ema = try EMA(model, decay: decay)
        #expect(Set(ema.shadow.keys) == ["scale", "inner.weight"])

        try withNoGrad {
            try model.scale.copy_(Tensor(thetaScale))
            try model.inner.weight.copy_(Tensor(thetaWeight, shape: [2, 2]))
        }
        for _ in 0..<k { try ema.update(from: model) }

        // shadow = θ + (θ₀ − θ)·decayᵏ
        let factor = Foundation.pow(decay, Double(k))
        let expectedScale = zip(thetaScale, theta0Scale).map { $0 + ($1 - $0) * factor }
        let expectedWeight = zip(thetaWeight, theta0Weight).map { $0 + ($1 - $0) * factor }
        try expectClose(try #require(ema.shadow["scale"]), Tensor(expectedScale), atol: 1e-12)
        try expectClose(try #require(ema.shadow["inner.weight"]), Tensor(expectedWeight, shape: [2, 2]), atol: 1e-12)
        // The model itself is untouched by updates.
        #expect(try values(model.scale) == thetaScale)
    }

    @Test func shadowIsACopyNotAnAlias() throws {
        let model = try EMATestModel(scale: [1, 2, 3], weight: [1, 2, 3, 4])
        let ema = try EMA(model, decay: 0.5)
        try withNoGrad { try model.scale.fill_(9) }
        #expect(try values(#require(ema.shadow["scale"])) == [1, 2, 3])
        #expect(try #require(ema.shadow["scale"]).requiresGrad == false)
    }

    @Test func applyCopiesTheShadowIntoAModule() throws {
        let model = try EMATestModel(scale: [1, 2, 3], weight: [1, 2, 3, 4])
        let ema = try EMA(model, decay: 0.5)
        try withNoGrad { try model.scale.fill_(5) }
        try ema.update(from: model)  // shadow.scale = [3, 3.5, 4]

        let sampling = try EMATestModel(scale: [0, 0, 0], weight: [0, 0, 0, 0])
        try ema.apply(to: sampling)
        #expect(try values(sampling.scale) == [3, 3.5, 4])
        #expect(try values(sampling.inner.weight) == [1, 2, 3, 4])
        #expect(sampling.scale.requiresGrad && sampling.scale.isLeaf)
        // A copy: further updates do not reach the sampling model.
        try ema.update(from: model)
        #expect(try values(sampling.scale) == [3, 3.5, 4])
    }

    @Test func loadReplacesTheShadow() throws {
        let model = try EMATestModel(scale: [1, 2, 3], weight: [1, 2, 3, 4])
        let ema = try EMA(model)
        try ema.load(["scale": Tensor([7.0, 8.0, 9.0]), "inner.weight": Tensor([Float](repeating: 1, count: 4), shape: [2, 2])])
        #expect(try values(#require(ema.shadow["scale"])) == [7, 8, 9])
        #expect(try #require(ema.shadow["inner.weight"]).dtype == .float64)
    }

    @Test func loadReportsEveryMismatchAndKeepsTheShadow() throws {
        let model = try EMATestModel(scale: [1, 2, 3], weight: [1, 2, 3, 4])
        let ema = try EMA(model)
        #expect(throws: ModuleError.stateDictMismatch(
            missing: ["inner.weight"], unexpected: ["bias"], shapeMismatches: ["scale: model [3], checkpoint [4]"])
        ) {
            try ema.load(["scale": Tensor([0.0, 0, 0, 0]), "bias": Tensor([1.0])])
        }
        #expect(try values(#require(ema.shadow["scale"])) == [1, 2, 3])
    }

    @Test func updateFromAnotherModuleThrows() throws {
        let ema = try EMA(EMATestModel(scale: [1, 2, 3], weight: [1, 2, 3, 4]))
        let other = try Linear(2, 2, generator: Generator(seed: 0))
        #expect(throws: ModuleError.incompatibleState("EMA has no shadow for parameter 'weight'")) { try ema.update(from: other) }
        #expect(throws: ModuleError.self) { try ema.apply(to: other) }
    }
}
