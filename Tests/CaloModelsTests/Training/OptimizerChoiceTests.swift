@testable import CaloModels
import Foundation
import Testing
import Torch
import TorchNN

@Suite struct OptimizerChoiceTests {
    /// One step from θ₀ with gradient g: Adam's first step is −lr·ĝ/(|ĝ| + ε) whatever θ₀, and AdamW
    /// first shrinks θ₀ by (1 − lr·λ), so θ_AdamW = θ_Adam − lr·λ·θ₀.
    @Test func adamWDiffersFromAdamOnlyByDecoupledDecay() throws {
        let lr = 0.1, lambda = 0.3
        let start: [Double] = [1.5, -2, 0.25]
        func oneStep(_ choice: OptimizerChoice) throws -> [Double] {
            let theta = try Tensor(start).requiringGrad()
            let optimizer = choice.makeOptimizer(parameters: [theta], learningRate: lr)
            try theta.setGrad(Tensor([0.4, -3.0, 1e-3]))
            try optimizer.step()
            return try theta.detached().toArray(Double.self)
        }
        let adam = try oneStep(.adam())
        let adamW = try oneStep(.adamW(weightDecay: lambda))
        for i in 0..<3 {
            #expect(abs(adamW[i] - (adam[i] - lr * lambda * start[i])) < 1e-12, "component \(i): \(adamW[i]) vs \(adam[i])")
            #expect(abs(adam[i] - start[i]) > 0.09, "Adam's first step is about lr")
        }
    }

    @Test(arguments: [
        (OptimizerChoice.adam(), "Adam"), (.adamW(), "AdamW"), (.adamax(), "Adamax"), (.radam(), "RAdam"), (.sgd(momentum: 0.9), "SGD"),
    ])
    func eachChoiceBuildsItsOptimizer(choice: OptimizerChoice, kind: String) throws {
        let optimizer = choice.makeOptimizer(parameters: [try Tensor.zeros([2])], learningRate: 0.01)
        #expect(optimizer.kind == kind)
        #expect(optimizer.learningRate == 0.01)
        let decoded = try JSONDecoder().decode(OptimizerChoice.self, from: JSONEncoder().encode(choice))
        #expect(decoded == choice)
    }

    @Test func settingsTravelWithTheValue() throws {
        let optimizer = OptimizerChoice.adamax(beta1: 0.8, beta2: 0.99, eps: 1e-6).makeOptimizer(parameters: [], learningRate: 1)
        let adamax = try #require(optimizer as? Adamax)
        #expect(adamax.beta1 == 0.8 && adamax.beta2 == 0.99 && adamax.eps == 1e-6)
        #expect(OptimizerChoice.standard == .adam(beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0))
    }
}

@Suite struct OptimizerChoiceJSONTests {
    func decode(_ json: String) throws -> OptimizerChoice { try JSONDecoder().decode(OptimizerChoice.self, from: Data(json.utf8)) }

    @Test func settingsLeftOutTakeTheirDefaults() throws {
        #expect(try decode(#"{"adamax":{}}"#) == .adamax())
        #expect(try decode(#"{"adamW":{"weightDecay":0.05}}"#) == .adamW(weightDecay: 0.05))
        #expect(try decode(#"{"sgd":{"momentum":0.9,"nesterov":true}}"#) == .sgd(momentum: 0.9, nesterov: true))
    }

    @Test func exactlyOneOptimizerMustBeNamed() {
        #expect(throws: DecodingError.self) { _ = try decode(#"{"lion":{}}"#) }
        #expect(throws: DecodingError.self) { _ = try decode(#"{"adam":{},"sgd":{}}"#) }
    }
}
