@testable import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct ChurnTests {
    /// γ = S_churn/N inside [S_tmin, S_tmax]: σ̂ = σ·(1 + γ), x̂ = x + S_noise·√(σ̂² − σ²)·z with z the
    /// generator's next draw.
    @Test func raisesTheLevelByGamma() throws {
        let churn = Churn(amount: 2, sigmaMin: 1, sigmaMax: 5, noiseScale: 1.5)
        let x = try Tensor([0.5, -1, 2])
        let (raised, sigmaHat) = try churn.raised(x, sigma: 3, stepCount: 10, generator: Generator(seed: 5))
        #expect(abs(sigmaHat - 3.6) < 1e-15)
        let z = try Tensor.randn([3], dtype: .float64, generator: Generator(seed: 5))
        #expect(try maxAbsDifference(raised, x + 1.5 * (3.6 * 3.6 - 9).squareRoot() * z) < 1e-15)
    }

    /// γ is capped at √2 − 1 (Karras et al. 2022 Alg. 2: at most doubling the variance).
    @Test func capsGammaAtRootTwoMinusOne() throws {
        let (_, sigmaHat) = try Churn(amount: 100).raised(
            Tensor([1.0]), sigma: 2, stepCount: 10, generator: Generator(seed: 0))
        #expect(abs(sigmaHat - 2 * 2.0.squareRoot()) < 1e-15)
    }

    /// Outside [S_tmin, S_tmax], with S_churn = 0, the state and level pass unchanged and no noise is drawn.
    @Test(arguments: [(0.5, Churn(amount: 5, sigmaMin: 1, sigmaMax: 4)), (4.5, Churn(amount: 5, sigmaMin: 1, sigmaMax: 4)),
                      (2.0, Churn.none)])
    func leavesLevelsOutsideTheWindowAlone(sigma: Double, churn: Churn) throws {
        let x = try Tensor([0.5, -1, 2])
        let generator = try Generator(seed: 7)
        let (raised, sigmaHat) = try churn.raised(x, sigma: sigma, stepCount: 10, generator: generator)
        #expect(sigmaHat == sigma)
        #expect(try maxAbsDifference(raised, x) == 0)
        let next = try Tensor.randn([3], dtype: .float64, generator: generator)
        #expect(try maxAbsDifference(next, Tensor.randn([3], dtype: .float64, generator: Generator(seed: 7))) == 0)
    }

    @Test func isStochasticOnlyWithAmountAndNoise() {
        #expect(!Churn.none.isStochastic)
        #expect(Churn(amount: 1).isStochastic)
        #expect(!Churn(amount: 1, noiseScale: 0).isStochastic)
    }
}

/// The exact mean and standard deviation after a churned ODE sampler on Gaussian data N(μ, s²), from
/// x₀ = σ₀·n: with D affine in x, each churn adds S_noise²·(σ̂² − σ²) to the variance and each `tableau` step
/// is x′ = a·x̂ + b, written out here in scalars, so both moments propagate exactly.
func churnChainMoments(
    _ tableau: ButcherTableau, churn: Churn, sigmas: [Double], gaussian: GaussianDenoiser
) -> (mean: Double, std: Double) {
    let (mu, s2) = (gaussian.mean, gaussian.std * gaussian.std)
    func slope(_ x: Double, _ sigma: Double) -> Double { (x - (s2 * x + sigma * sigma * mu) / (s2 + sigma * sigma)) / sigma }
    func step(_ x: Double, _ sigma: Double, _ next: Double) -> Double {
        let h = next - sigma
        var slopes = [slope(x, sigma)]
        guard next > 0 else { return x + h * slopes[0] }
        for (node, row) in zip(tableau.nodes, tableau.coefficients).dropFirst() {
            let stage = x + h * zip(row, slopes).map { $0 * $1 }.reduce(0, +)
            slopes.append(slope(stage, sigma + node * h))
        }
        return x + h * zip(tableau.weights, slopes).map { $0 * $1 }.reduce(0, +)
    }
    let stepCount = sigmas.count - 1
    var (m, v) = (0.0, sigmas[0] * sigmas[0])
    for (sigma, next) in zip(sigmas, sigmas.dropFirst()) {
        let inWindow = churn.sigmaMin <= sigma && sigma <= churn.sigmaMax
        let gamma = inWindow ? min(churn.amount / Double(stepCount), 2.0.squareRoot() - 1) : 0
        let sigmaHat = sigma * (1 + gamma)
        v += churn.noiseScale * churn.noiseScale * (sigmaHat * sigmaHat - sigma * sigma)
        let b = step(0, sigmaHat, next)
        let a = step(1, sigmaHat, next) - b
        (m, v) = (a * m + b, a * a * v)
    }
    return (m, v.squareRoot())
}

/// 10⁵ draws of `sampler` on Gaussian data from standard-normal noise `[1000, 100]`.
func sampleStatistics(
    _ sampler: some Sampler, gaussian: GaussianDenoiser, sigmas: [Double], seed: UInt64
) throws -> SampleStatistics {
    let noise = try Tensor.randn([1000, 100], dtype: .float64, generator: Generator(seed: seed))
    return try SampleStatistics(
        sampler.sample(
            gaussian, noise: noise, sigmas: sigmas, condition: unconditioned(batch: 1000), generator: Generator(seed: seed + 1)))
}
