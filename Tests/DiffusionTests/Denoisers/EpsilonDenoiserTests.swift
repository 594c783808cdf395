import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct EpsilonDenoiserTests {
    /// The exact VP ε-predictor of `GaussianDenoiser`, turned into D, is the exact VE denoiser — over the whole
    /// range of a cosine schedule, including σ ≈ 25 666 at t = 399.
    @Test func exactEpsilonPredictorGivesTheExactDenoiser() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let denoiser = EpsilonDenoiser(network: gaussian.epsilonNetwork)
        let sigmas = try DDPMSchedule.cosine().veSigmas
        let batch = sigmas.count
        let sigma = try Tensor(sigmas)
        // x = x₀ + σ·n at each level: the scale a sampler actually visits.
        let generator = try Generator(seed: 5)
        let x =
            try 1 + (0.5 + sigma.appendingUnitAxes(toRank: 2)) * Tensor.randn([batch, 3], dtype: .float64, generator: generator)
        let condition = try unconditioned(batch: batch)
        let ours = try denoiser(x, sigma: sigma, condition: condition)
        let exact = try gaussian(x, sigma: sigma, condition: condition)
        // D − x₀ is O(1) while x is O(σ): allow float64 rounding of x·(1 + σ)·ε.
        let tolerance = try 1e-11 * (1 + x.abs().amax().item())
        #expect(try maxAbsDifference(ours, exact) < tolerance)
    }

    @Test func passesTheVPSampleAndNoiseLevel() throws {
        var seen: [Tensor] = []
        let denoiser = EpsilonDenoiser { xt, noiseLevel, _ in
            seen = [xt, noiseLevel]
            return try xt.onesLike()
        }
        let x = try Tensor([2.0, 4.0], shape: [2, 1])
        let denoised = try denoiser(x, sigma: Tensor([0.75, 1.0]), condition: unconditioned(batch: 2))
        // ᾱ = 1/(1 + σ²): 0.64 and 0.5; x_t = √ᾱ·x; n = √(1 − ᾱ); D = x − σ·ε̂.
        #expect(try maxAbsDifference(seen[0], Tensor([1.6, 4 / 2.0.squareRoot()], shape: [2, 1])) < 1e-15)
        #expect(try maxAbsDifference(seen[1], Tensor([0.6, 1 / 2.0.squareRoot()])) < 1e-15)
        #expect(try maxAbsDifference(denoised, Tensor([1.25, 3.0], shape: [2, 1])) < 1e-15)
    }

    @Test func broadcastsOverHigherRankStates() throws {
        let gaussian = GaussianDenoiser(mean: -0.2, std: 1.3)
        let denoiser = EpsilonDenoiser(networkDType: .float64, network: gaussian.epsilonNetwork)
        let x = try Tensor.randn([2, 1, 3, 4, 5], dtype: .float64, generator: Generator(seed: 6))
        let condition = try unconditioned(batch: 2)
        let difference = try maxAbsDifference(
            denoiser(x, sigma: 0.8, condition: condition), gaussian(x, sigma: 0.8, condition: condition))
        #expect(difference < 1e-14)
    }

    @Test func rejectsNoiseLevelsOfTooHighRank() throws {
        let denoiser = EpsilonDenoiser { xt, _, _ in xt }
        let x = try Tensor.zeros([2], dtype: .float64)
        #expect(throws: DiffusionError.rankMismatch(valueShape: [2, 1], targetRank: 1)) {
            try denoiser(x, sigma: Tensor.ones([2, 1], dtype: .float64), condition: unconditioned(batch: 2))
        }
    }
}
