import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct DDIMSamplerTests {
    /// η = 0 with the exact ε-predictor converges to the exact probability-flow endpoint
    /// μ + (x̄ − μ)·s/√(s² + σ_max²), x̄ = x_T·√(1 + σ_max²), on cosine schedules rebuilt for N steps,
    /// at first order (measured: errors 0.076, 0.039, 0.020, 0.0099; orders 0.97, 0.98, 0.99).
    @Test func etaZeroConvergesAtFirstOrder() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let errors = try endpointErrors(
            DDIMSampler(eta: 0), denoiser: EpsilonDenoiser(network: gaussian.epsilonNetwork), gaussian: gaussian,
            stepCounts: [25, 50, 100, 200],
            startScale: { (1 + $0 * $0).squareRoot() }, sigmas: { try DDPMSchedule.cosine(stepCount: $0).samplingSigmas })
        let orders = observedOrders(errors)
        #expect(orders.allSatisfy { abs($0 - 1) < 0.1 }, "orders \(orders)")
        #expect(errors.last! < 0.01)
    }

    /// η = 1 on consecutive levels draws the same noise and takes the same steps as ancestral DDPM.
    @Test func etaOneIsAncestralDDPM() throws {
        let gaussian = GaussianDenoiser(mean: 0.2, std: 0.7)
        let sigmas = try DDPMSchedule.cosine(stepCount: 30).samplingSigmas
        let noise = try Tensor.randn([8, 3], dtype: .float64, generator: Generator(seed: 21))
        let condition = try unconditioned(batch: 8)
        let ddim = try DDIMSampler(eta: 1).sample(
            gaussian, noise: noise, sigmas: sigmas, condition: condition, generator: Generator(seed: 22))
        let ddpm = try DDPMAncestralSampler().sample(
            gaussian, noise: noise, sigmas: sigmas, condition: condition, generator: Generator(seed: 22))
        #expect(try maxAbsDifference(ddim, ddpm) < 1e-10)
    }

    /// With η = 0 the generator is never used.
    @Test func etaZeroIsDeterministic() throws {
        let gaussian = GaussianDenoiser(mean: 0.2, std: 0.7)
        let sigmas = try DDPMSchedule.cosine(stepCount: 20).samplingSigmas
        let noise = try Tensor.randn([4], dtype: .float64, generator: Generator(seed: 1))
        let condition = try unconditioned(batch: 4)
        let a = try DDIMSampler().sample(
            gaussian, noise: noise, sigmas: sigmas, condition: condition, generator: Generator(seed: 1))
        let b = try DDIMSampler().sample(
            gaussian, noise: noise, sigmas: sigmas, condition: condition, generator: Generator(seed: 2))
        #expect(try maxAbsDifference(a, b) == 0)
    }
}
