import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct RungeKuttaSamplerTests {
    /// On Karras levels ending at σ_min = 10⁻⁵ RK4 converges to the exact endpoint at fourth order (measured:
    /// errors 1.95e-4, 1.15e-5, 6.9e-7; orders 4.09, 4.05) with 4N − 3 evaluations. The small σ_min keeps the
    /// last Euler step's error, ≈ σ_min²/(2s²)·|x − μ|, far below: at the default 0.002 it is ≈ 10⁻⁵ and
    /// already dominates at 128 steps.
    @Test func rungeKutta4ConvergesAtFourthOrder() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let counting = CountingDenoiser(gaussian)
        let errors = try endpointErrors(
            RungeKuttaSampler(tableau: .rungeKutta4), denoiser: counting, gaussian: gaussian, stepCounts: [32, 64, 128],
            startScale: { $0 }, sigmas: { try KarrasSchedule(sigmaMin: 1e-5).sigmas(stepCount: $0) })
        let orders = observedOrders(errors)
        #expect(orders.allSatisfy { abs($0 - 4) < 0.3 }, "orders \(orders)")
        #expect(errors.last! < 1e-6)
        #expect(counting.evaluations == (4 * 32 - 3) + (4 * 64 - 3) + (4 * 128 - 3))
    }

    /// On Gaussian data the midpoint rule converges to the exact endpoint at third order (measured: errors
    /// 1.43e-3, 1.72e-4, 2.11e-5; orders 3.05, 3.03) with 2N − 1 evaluations. One order more than the rule's
    /// own: for z′ = g(σ)·z its h³ local error term is g³/6 + g″/24 + g·g′/4, identically 0 for the Gaussian
    /// flow's g = σ/(s² + σ²). σ_min = 10⁻⁵ keeps the last Euler step's error, ≈ σ_min²/(2s²)·|x − μ|, far below.
    @Test func midpointConvergesToTheGaussianEndpoint() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let counting = CountingDenoiser(gaussian)
        let errors = try endpointErrors(
            RungeKuttaSampler(tableau: .midpoint), denoiser: counting, gaussian: gaussian, stepCounts: [32, 64, 128],
            startScale: { $0 }, sigmas: { try KarrasSchedule(sigmaMin: 1e-5).sigmas(stepCount: $0) })
        let orders = observedOrders(errors)
        #expect(orders.allSatisfy { abs($0 - 3) < 0.2 }, "orders \(orders)")
        #expect(counting.evaluations == (2 * 32 - 1) + (2 * 64 - 1) + (2 * 128 - 1))
    }

    /// The midpoint rule's true order, 2, shows on data where that cancellation does not happen: the mixture
    /// ½N(−1, 0.5²) + ½N(1, 0.5²) on Karras levels from 10 to 0.2, against RK4 with 512 steps (itself
    /// ≈ 4·10⁻¹¹ from RK4 with 1024). Measured: errors 1.48e-4, 3.87e-5, 9.85e-6; orders 1.94, 1.97.
    @Test func midpointConvergesAtSecondOrderOnAMixture() throws {
        let mixture = TwoPointGaussianMixture(separation: 1.0, std: 0.5)
        let noise = try Tensor([-2.5, -1.2, -0.3, 0.4, 1.1, 2.2])
        let condition = try unconditioned(batch: 6)
        let schedule = try KarrasSchedule(sigmaMin: 0.2, sigmaMax: 10)
        func run(_ tableau: ButcherTableau, stepCount: Int) throws -> Tensor {
            try RungeKuttaSampler(tableau: tableau).sample(
                mixture, noise: noise, sigmas: schedule.sigmas(stepCount: stepCount), condition: condition,
                generator: Generator(seed: 0))
        }
        let reference = try run(.rungeKutta4, stepCount: 512)
        let errors = try [32, 64, 128].map { try maxAbsDifference(run(.midpoint, stepCount: $0), reference) }
        let orders = observedOrders(errors)
        #expect(orders.allSatisfy { abs($0 - 2) < 0.15 }, "orders \(orders)")
    }

    /// The Euler and Heun tableaus reproduce `EulerSampler` and `HeunSampler` without churn, step for step.
    @Test(arguments: [("euler", ButcherTableau.euler), ("heun", ButcherTableau.heun)])
    func eulerAndHeunTableausMatchTheirSamplers(name: String, tableau: ButcherTableau) throws {
        let sigmas = try KarrasSchedule(sigmaMin: 0.01, sigmaMax: 20).sigmas(stepCount: 9)
        let noise = try Tensor.randn([5, 3], dtype: .float64, generator: Generator(seed: 4))
        let gaussian = GaussianDenoiser(mean: -0.3, std: 0.8)
        let condition = try unconditioned(batch: 5)
        let ours = try RungeKuttaSampler(tableau: tableau).sample(
            gaussian, noise: noise, sigmas: sigmas, condition: condition, generator: Generator(seed: 0))
        let theirs = try SamplerSettings(name).makeSampler().sample(
            gaussian, noise: noise, sigmas: sigmas, condition: condition, generator: Generator(seed: 0))
        #expect(try maxAbsDifference(ours, theirs) == 0)
    }
}

/// The exact denoiser of ½N(−m, s²) + ½N(m, s²): D = (s²·x + σ²·m·tanh(m·x/(s² + σ²)))/(s² + σ²).
private struct TwoPointGaussianMixture: Denoiser {
    let separation: Double
    let std: Double

    func callAsFunction(_ x: Tensor, sigma: Tensor, condition: DiffusionCondition) throws -> Tensor {
        let sigma2 = try (sigma * sigma).appendingUnitAxes(toRank: x.ndim)
        let variance = try sigma2 + std * std
        let componentMean = try separation * tanh(separation * x / variance)
        return try (std * std * x + sigma2 * componentMean) / variance
    }
}
