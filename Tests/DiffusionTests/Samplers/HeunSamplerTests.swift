import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct HeunSamplerTests {
    /// On Karras levels Heun converges to the exact endpoint at second order (measured: errors 0.0197, 0.0046,
    /// 0.0011; orders 2.10, 2.06) with 2N − 1 evaluations (the last step, to σ = 0, is Euler).
    @Test func convergesAtSecondOrder() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let counting = CountingDenoiser(gaussian)
        let errors = try endpointErrors(
            HeunSampler(), denoiser: counting, gaussian: gaussian, stepCounts: [32, 64, 128], startScale: { $0 },
            sigmas: { try KarrasSchedule().sigmas(stepCount: $0) })
        let orders = observedOrders(errors)
        #expect(orders.allSatisfy { abs($0 - 2) < 0.2 }, "orders \(orders)")
        #expect(counting.evaluations == (2 * 32 - 1) + (2 * 64 - 1) + (2 * 128 - 1))
    }

    /// CaloClouds II's 13 Karras steps (spec §C.2): 25 evaluations.
    @Test func caloCloudsSettingUsesTwentyFiveEvaluations() throws {
        let counting = CountingDenoiser(GaussianDenoiser(mean: 0, std: 0.5))
        _ = try HeunSampler().sample(
            counting, noise: Tensor.zeros([2, 4], dtype: .float64), sigmas: KarrasSchedule().sigmas(stepCount: 13),
            condition: unconditioned(batch: 2), generator: Generator(seed: 0))
        #expect(counting.evaluations == 25)
    }
}

extension HeunSamplerTests {
    /// With churn on [0.05, 50] (S_churn = 40, S_noise = 1.003 on 64 Karras steps) 10⁵ samples match the
    /// chain's exact moments (`churnChainMoments`) within 4 standard errors; without churn noise (S_noise = 1)
    /// the chain is within 0.05 % of the data's std at 512 steps (Heun's churned error is second order).
    @Test func churnMatchesTheExactChainMoments() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let sigmas = try KarrasSchedule().sigmas(stepCount: 64)
        let churn = Churn(amount: 40, sigmaMin: 0.05, sigmaMax: 50, noiseScale: 1.003)
        let stats = try sampleStatistics(HeunSampler(churn: churn), gaussian: gaussian, sigmas: sigmas, seed: 41)
        let chain = churnChainMoments(.heun, churn: churn, sigmas: sigmas, gaussian: gaussian)
        #expect(abs(stats.mean - chain.mean) < 4 * stats.meanError, "mean \(stats.mean) vs \(chain.mean) ± \(stats.meanError)")
        #expect(abs(stats.std - chain.std) < 4 * stats.stdError, "std \(stats.std) vs \(chain.std) ± \(stats.stdError)")
        let fine = churnChainMoments(
            .heun, churn: Churn(amount: 40), sigmas: try KarrasSchedule().sigmas(stepCount: 512), gaussian: gaussian)
        #expect(abs(fine.std / 0.5 - 1) < 5e-4 && abs(fine.mean - 1) < 1e-9, "\(fine)")
    }
}
