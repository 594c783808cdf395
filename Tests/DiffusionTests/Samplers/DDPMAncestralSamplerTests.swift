import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct DDPMAncestralSamplerTests {
    /// The exact mean and standard deviation of the DDPM chain's output for Gaussian data and the exact
    /// ε-predictor: each step is affine in x plus Gaussian noise, x ← A·x + B + √(posterior variance)·z,
    /// so mean and variance propagate in closed form from x_{T−1−offset} ~ N(0, 1).
    static func chainMoments(_ schedule: DDPMSchedule, mean mu: Double, std s: Double, offset: Int) -> (mean: Double, std: Double)
    {
        var (m, v) = (0.0, 1.0)
        for t in stride(from: schedule.stepCount - 1 - offset, through: 0, by: -1) {
            let (alphaBar, n) = (schedule.alphaBars[t], schedule.noiseLevels[t])
            let q = alphaBar * s * s + n * n
            // E[x₀ | x_t] = c1·x_t + c0 and ε̂ = e1·x_t + e0.
            let c1 = s * s * alphaBar.squareRoot() / q
            let c0 = mu - s * s * alphaBar * mu / q
            let e1 = (1 - alphaBar.squareRoot() * c1) / n
            let e0 = -alphaBar.squareRoot() * c0 / n
            let a = (1 - schedule.betas[t] * e1 / n) / schedule.alphas[t].squareRoot()
            let b = -schedule.betas[t] * e0 / n / schedule.alphas[t].squareRoot()
            (m, v) = (a * m + b, a * a * v + schedule.posteriorVariances[t])
        }
        return (m, v.squareRoot())
    }

    static func run(
        gaussian: GaussianDenoiser, offset: Int, shape: [Int] = [1000, 100], seed: UInt64 = 11
    ) throws -> SampleStatistics {
        let generator = try Generator(seed: seed)
        let noise = try Tensor.randn(shape, dtype: .float64, generator: generator)
        let samples = try DDPMAncestralSampler(offset: offset).sample(
            EpsilonDenoiser(network: gaussian.epsilonNetwork), noise: noise, sigmas: DDPMSchedule.cosine().samplingSigmas,
            condition: unconditioned(batch: shape[0]), generator: generator)
        return try SampleStatistics(samples)
    }

    /// 10⁵ samples of N(0.5, 1.5²) through 400 steps match the data mean and std within 4 standard errors.
    ///
    /// DDPM's reverse noise √(posterior variance) is the lower bound of Ho et al.; with the exact ε̂ the chain's
    /// std is low by an O(1/T) amount: −0.53 % here (2.4 standard errors at 10⁵ samples), −0.97 % for s = 0.5.
    @Test func matchesTheDataDistribution() throws {
        let gaussian = GaussianDenoiser(mean: 0.5, std: 1.5)
        let stats = try Self.run(gaussian: gaussian, offset: 0)
        #expect(stats.count >= 100_000)
        #expect(abs(stats.mean - 0.5) < 4 * stats.meanError, "mean \(stats.mean) ± \(stats.meanError)")
        #expect(abs(stats.std - 1.5) < 4 * stats.stdError, "std \(stats.std) ± \(stats.stdError)")
        let chain = Self.chainMoments(try .cosine(), mean: 0.5, std: 1.5, offset: 0)
        #expect(abs(chain.std / 1.5 - 1) < 0.006)
    }

    /// The sharp check: mean and std equal the chain's exact moments (spec §A.12 formulas) within 4 standard
    /// errors, for offset 0 and 2, on data (s = 0.5) where the chain's own std bias (−0.97 %) is 4.3 errors wide.
    @Test(arguments: [0, 2])
    func matchesTheExactChainMoments(offset: Int) throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let stats = try Self.run(gaussian: gaussian, offset: offset, seed: 12 + UInt64(offset))
        let chain = Self.chainMoments(try .cosine(), mean: 1.0, std: 0.5, offset: offset)
        #expect(abs(stats.mean - chain.mean) < 4 * stats.meanError, "mean \(stats.mean) vs \(chain.mean) ± \(stats.meanError)")
        #expect(abs(stats.std - chain.std) < 4 * stats.stdError, "std \(stats.std) vs \(chain.std) ± \(stats.stdError)")
        // Starting from N(0, 1) instead of the true x_{397} marginal moves the mean by only ~5e-5 here.
        #expect(abs(chain.mean - 1) < 1e-4)
    }

    /// What offset 2 buys (spec §A.12): an ε̂ error δ moves the first step by −β_t/(√(1−ᾱ_t)·√α_t)·δ,
    /// ≈ −100·δ at t = 399 (offset 0) but ≈ −0.83·δ at t = 397 (offset 2).
    @Test(arguments: [(0, 99.99), (2, 0.8333)])
    func offsetSkipsTheAmplifyingFirstSteps(offset: Int, listedFactor: Double) throws {
        let schedule = try DDPMSchedule.cosine()
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let delta = 1e-3
        let exact = EpsilonDenoiser(network: gaussian.epsilonNetwork)
        let biased = EpsilonDenoiser { xt, n, c in try gaussian.epsilonNetwork(xt, n, c) + delta }
        let noise = try Tensor.randn([4, 8], dtype: .float64, generator: Generator(seed: 2))
        var firstSteps: [Tensor] = []
        var steps: [SamplerStep] = []
        for denoiser in [exact, biased] {
            _ = try DDPMAncestralSampler(offset: offset).sample(
                denoiser, noise: noise, sigmas: schedule.samplingSigmas, condition: unconditioned(batch: 4),
                generator: Generator(seed: 3)
            ) { step in
                if step.index == 0 { firstSteps.append(step.x) }
                steps.append(step)
            }
        }
        let t = schedule.stepCount - 1 - offset
        let factor = schedule.betas[t] / (schedule.noiseLevels[t] * schedule.alphas[t].squareRoot())
        #expect(abs(factor - listedFactor) < 1e-4 * listedFactor)
        let shift = try (firstSteps[1] - firstSteps[0]).mean().item()
        #expect(abs(shift + factor * delta) < 1e-9 * factor)
        // The run visits t = T−1−offset … 0: T − offset steps, from σ_t to 0.
        let run = steps.prefix(schedule.stepCount - offset)
        #expect(steps.count == 2 * (schedule.stepCount - offset))
        #expect(run.first?.sigma == schedule.veSigmas[t] && run.last?.nextSigma == 0)
        #expect(run.map(\.index) == Array(0..<(schedule.stepCount - offset)))
    }

    /// Step by step the sampler is spec §A.12 written over the time list: mean = (x − β_t·ε̂/√(1−ᾱ_t))/√α_t,
    /// plus √(posterior variance_t)·z for t > 0, on a schedule rebuilt for N = 50 steps.
    @Test func followsTheTimeIndexedReference() throws {
        let schedule = try DDPMSchedule.cosine().rebuilt(stepCount: 50)
        let gaussian = GaussianDenoiser(mean: -0.3, std: 0.8)
        let network = gaussian.epsilonNetwork
        let noise = try Tensor.randn([16, 4], dtype: .float64, generator: Generator(seed: 8))
        let condition = try unconditioned(batch: 16)
        let ours = try DDPMAncestralSampler(offset: 2).sample(
            EpsilonDenoiser(network: network), noise: noise, sigmas: schedule.samplingSigmas, condition: condition,
            generator: Generator(seed: 9))

        let generator = try Generator(seed: 9)
        var x = noise
        for t in stride(from: 50 - 1 - 2, through: 0, by: -1) {
            let epsilon = try network(x, Tensor.full([16], value: schedule.noiseLevels[t], dtype: .float64), condition)
            let mean = try (x - schedule.betas[t] / schedule.noiseLevels[t] * epsilon) / schedule.alphas[t].squareRoot()
            x = try t > 0 ? mean + schedule.posteriorVariances[t].squareRoot() * x.randnLike(generator: generator) : mean
        }
        #expect(try maxAbsDifference(ours, x) < 1e-10)
    }

    @Test func rejectsAnOffsetBeyondTheSteps() throws {
        let sigmas = try DDPMSchedule.cosine(stepCount: 10).samplingSigmas
        for offset in [-1, 10] {
            #expect(throws: DiffusionError.self) {
                try DDPMAncestralSampler(offset: offset).sample(
                    GaussianDenoiser(mean: 0, std: 1), noise: Tensor.zeros([2], dtype: .float64), sigmas: sigmas,
                    condition: unconditioned(batch: 2), generator: Generator(seed: 0))
            }
        }
    }
}
