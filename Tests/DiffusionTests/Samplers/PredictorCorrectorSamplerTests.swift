import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct PredictorCorrectorSamplerTests {
    /// Step by step it is CaloScore's loop (spec §B.1.7) written out: the corrector in CaloScore's VP
    /// coordinates (state x/√(1 + σ²), score √(1 + σ²)·s, α_i = ᾱ_i/ᾱ_{i−1}), then the VE Euler–Maruyama
    /// predictor with the stale score; noise drawn corrector first, then predictor; x̄ returned at the end.
    @Test(arguments: [0, 1, 2])
    func followsCaloScoresLoop(correctorSteps: Int) throws {
        let gaussian = GaussianDenoiser(mean: -0.3, std: 0.8)
        let sigmas = try KarrasSchedule(sigmaMin: 0.01, sigmaMax: 20).sigmas(stepCount: 7)
        let noise = try Tensor.randn([6, 2, 3], dtype: .float64, generator: Generator(seed: 4))
        let condition = try unconditioned(batch: 6)
        let ours = try PredictorCorrectorSampler(snr: 0.16, correctorSteps: correctorSteps).sample(
            gaussian, noise: noise, sigmas: sigmas, condition: condition, generator: Generator(seed: 5))

        func norm(_ t: Tensor) throws -> Double {
            let rows = try t.reshaped([6, 6]).toArray(Double.self)
            return stride(from: 0, to: 36, by: 6).map { i in rows[i..<(i + 6)].map { $0 * $0 }.reduce(0, +).squareRoot() }
                .reduce(0, +) / 6
        }
        let generator = try Generator(seed: 5)
        var x = try noise * sigmas[0]
        for (sigma, next) in zip(sigmas, sigmas.dropFirst()) {
            let scale = (1 + sigma * sigma).squareRoot()
            var score = try (gaussian(x, sigma: sigma, condition: condition) - x) / (sigma * sigma)
            for update in 0..<correctorSteps {
                if update > 0 { score = try (gaussian(x, sigma: sigma, condition: condition) - x) / (sigma * sigma) }
                let (xt, scoreVP) = (try x / scale, try score * scale)
                let z = try Tensor.randn([6, 2, 3], dtype: .float64, generator: generator)
                let alpha = (1 / (1 + sigma * sigma)) / (1 / (1 + next * next))
                let epsilon = try 2 * alpha * pow(0.16 * norm(z) / norm(scoreVP), 2)
                x = try (xt + epsilon * scoreVP + (2 * epsilon).squareRoot() * z) * scale
            }
            let mean = try x + (sigma * sigma - next * next) * score
            let z = try Tensor.randn([6, 2, 3], dtype: .float64, generator: next > 0 ? generator : Generator(seed: 0))
            x = try next > 0 ? mean + (sigma * sigma - next * next).squareRoot() * z : mean
        }
        #expect(try maxAbsDifference(ours, x) < 1e-12)
    }

    /// One evaluation per step however the corrector is set (the predictor reuses the corrector's score),
    /// plus one per further corrector update.
    @Test(arguments: [(0, 1), (1, 1), (3, 3)])
    func reusesTheScore(correctorSteps: Int, perStep: Int) throws {
        let counting = CountingDenoiser(GaussianDenoiser(mean: 0, std: 1))
        _ = try PredictorCorrectorSampler(correctorSteps: correctorSteps).sample(
            counting, noise: Tensor.zeros([4, 3], dtype: .float64), sigmas: KarrasSchedule().sigmas(stepCount: 9),
            condition: unconditioned(batch: 4), generator: Generator(seed: 0))
        #expect(counting.evaluations == 9 * perStep)
    }

    /// CaloScore's setting (r = 0.2, one corrector update; 100 Karras steps): 10⁵ samples match the chain's
    /// moments within 4 standard errors. The chain's std is 2 % high (0.5102 for 0.5) and stays so with more
    /// steps (0.5099 at 1000): Langevin with step ε ≈ 2r²·(s² + σ²) has stationary variance ≈ (1 + r²/2)× the
    /// target's. Its moments follow from x′ = x − (ε + Δ)(x − μ)/V + √(2ε)·z + √Δ·z′ (V = s² + σ², Δ = σ² − σ′²),
    /// ε = 2α·r²·V²/Var(x), the large-batch value of CaloScore's ratio of norms.
    @Test func matchesTheChainMoments() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let sigmas = try KarrasSchedule().sigmas(stepCount: 100)
        let stats = try sampleStatistics(PredictorCorrectorSampler(snr: 0.2), gaussian: gaussian, sigmas: sigmas, seed: 51)
        let chain = Self.chainMoments(snr: 0.2, sigmas: sigmas, gaussian: gaussian)
        #expect(abs(stats.mean - chain.mean) < 4 * stats.meanError, "mean \(stats.mean) vs \(chain.mean) ± \(stats.meanError)")
        #expect(abs(stats.std - chain.std) < 4 * stats.stdError, "std \(stats.std) vs \(chain.std) ± \(stats.stdError)")
        #expect(abs(chain.std - 0.5102) < 1e-4)
        let long = Self.chainMoments(snr: 0.2, sigmas: try KarrasSchedule().sigmas(stepCount: 1000), gaussian: gaussian)
        #expect(abs(long.std - 0.5099) < 1e-4)
    }

    /// Without a corrector it is Euler–Maruyama, whose chain converges to the data at first order: its std
    /// error halves from 256 to 512 steps.
    @Test func withoutCorrectorConvergesToTheData() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let errors = try [256, 512].map { n in
            abs(Self.chainMoments(snr: 0, sigmas: try KarrasSchedule().sigmas(stepCount: n), gaussian: gaussian).std - 0.5)
        }
        #expect(abs(log2(errors[0] / errors[1]) - 1) < 0.1, "\(errors)")
        let sigmas = try KarrasSchedule().sigmas(stepCount: 256)
        let stats = try sampleStatistics(
            PredictorCorrectorSampler(correctorSteps: 0), gaussian: gaussian, sigmas: sigmas, seed: 61)
        let chain = Self.chainMoments(snr: 0, sigmas: sigmas, gaussian: gaussian)
        #expect(abs(stats.mean - chain.mean) < 4 * stats.meanError, "mean \(stats.mean) vs \(chain.mean) ± \(stats.meanError)")
        #expect(abs(stats.std - chain.std) < 4 * stats.stdError, "std \(stats.std) vs \(chain.std) ± \(stats.stdError)")
    }

    /// Mean and std of the PC chain on N(μ, s²) from x₀ = σ₀·n (see `matchesTheChainMoments`); r = 0: no corrector.
    static func chainMoments(snr r: Double, sigmas: [Double], gaussian: GaussianDenoiser) -> (mean: Double, std: Double) {
        let (mu, s2) = (gaussian.mean, gaussian.std * gaussian.std)
        var (m, v) = (0.0, sigmas[0] * sigmas[0])
        for (sigma, next) in zip(sigmas, sigmas.dropFirst()) {
            let (variance, delta) = (s2 + sigma * sigma, sigma * sigma - next * next)
            let alpha = (1 + next * next) / (1 + sigma * sigma)
            let epsilon = 2 * alpha * r * r * variance * variance / (v + (m - mu) * (m - mu))
            let a = 1 - (epsilon + delta) / variance
            (m, v) = (m - (epsilon + delta) * (m - mu) / variance, a * a * v + 2 * epsilon + (next > 0 ? delta : 0))
        }
        return (m, v.squareRoot())
    }
}
