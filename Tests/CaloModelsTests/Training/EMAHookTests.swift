@testable import CaloModels
import Foundation
import Testing
import Torch
import TorchNN

@Suite struct EMAHookTests {
    /// After one step from θ₀ to θ₁ the shadow is decay·θ₀ + (1 − decay)·θ₁, under the hook's prefixes.
    @Test func shadowFollowsTheWeightsUnderItsPrefixes() throws {
        let network = try Linear(2, 1, generator: try Generator(seed: 3))
        let hook = try EMAHook(module: network, decay: 0.75, checkpointPrefix: "ema.energy.", weightsPrefix: "energy.")
        let before = try network.weight.detached().cloned()
        try withNoGrad { try network.weight.add_(try Tensor.ones([1, 2]), alpha: 1) }
        try hook.afterStep(1)
        let expected = try before * 0.75 + network.weight.detached() * 0.25
        let shadow = try #require(hook.checkpointTensors["ema.energy.weight"])
        #expect(try (shadow - expected).abs().sum().item() < 1e-6)
        #expect(Set(hook.checkpointTensors.keys) == ["ema.energy.weight", "ema.energy.bias"])
        #expect(Set(hook.samplingWeights.keys) == ["energy.weight", "energy.bias"])

        let restored = try EMAHook(module: try Linear(2, 1, generator: try Generator(seed: 4)), decay: 0.75,
                                   checkpointPrefix: "ema.energy.", weightsPrefix: "energy.")
        try restored.restore(hook.checkpointTensors)
        #expect(try (restored.ema.shadow["weight"]! .== shadow).all().item() == 1)
    }
}
