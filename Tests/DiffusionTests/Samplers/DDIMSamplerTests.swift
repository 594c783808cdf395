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

extension DDIMSamplerTests {
    /// η = 0.5 on 400 cosine levels: 10⁵ samples match the chain's exact moments within 4 standard errors. Each
    /// step is affine in x plus noise: with x̃ = x·√(1 + σ²), D = (s²·x̃ + σ²·μ)/(s² + σ²) and ε̂ = (x̃ − D)/σ,
    /// x′ = √ᾱ′·D + √(1 − ᾱ′ − ς²)·ε̂ + ς·z, ς = η·√(posterior variance), so mean and variance propagate exactly.
    @Test func etaHalfMatchesTheExactChainMoments() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let sigmas = try DDPMSchedule.cosine().samplingSigmas
        let stats = try sampleStatistics(DDIMSampler(eta: 0.5), gaussian: gaussian, sigmas: sigmas, seed: 71)
        let (mu, s2) = (1.0, 0.25)
        var (m, v) = (0.0, 1.0)
        for (sigma, next) in zip(sigmas, sigmas.dropFirst()) {
            let (sigma2, next2) = (sigma * sigma, next * next)
            let nextAlphaBar = 1 / (1 + next2)
            let spread2 = 0.25 * (sigma2 - next2) * next2 / (sigma2 * (1 + next2))
            func step(_ x: Double) -> Double {
                let scaled = x * (1 + sigma2).squareRoot()
                let denoised = (s2 * scaled + sigma2 * mu) / (s2 + sigma2)
                let noiseWeight = max(1 - nextAlphaBar - spread2, 0).squareRoot()
                return nextAlphaBar.squareRoot() * denoised + noiseWeight * (scaled - denoised) / sigma
            }
            let (b, a) = (step(0), step(1) - step(0))
            (m, v) = (a * m + b, a * a * v + spread2)
        }
        #expect(abs(stats.mean - m) < 4 * stats.meanError, "mean \(stats.mean) vs \(m) ± \(stats.meanError)")
        #expect(abs(stats.std - v.squareRoot()) < 4 * stats.stdError, "std \(stats.std) vs \(v.squareRoot()) ± \(stats.stdError)")
        // The chain itself is within 1 % of the data (the discrete noise is the lower bound, as for DDPM).
        #expect(abs(v.squareRoot() / 0.5 - 1) < 0.01 && abs(m - 1) < 1e-3, "chain \(m), \(v.squareRoot())")
    }
}
