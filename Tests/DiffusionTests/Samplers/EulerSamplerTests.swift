import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct EulerSamplerTests {
    /// On Karras levels (σ_min 0.002, σ_max 80, ρ 7) Euler converges to the exact probability-flow endpoint
    /// at first order (measured: errors 0.217, 0.110, 0.055, 0.028; orders 0.98, 0.99, 0.99).
    @Test func convergesAtFirstOrder() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let counting = CountingDenoiser(gaussian)
        let errors = try endpointErrors(
            EulerSampler(), denoiser: counting, gaussian: gaussian, stepCounts: [16, 32, 64, 128], startScale: { $0 },
            sigmas: { try KarrasSchedule().sigmas(stepCount: $0) })
        let orders = observedOrders(errors)
        #expect(orders.allSatisfy { abs($0 - 1) < 0.1 }, "orders \(orders)")
        #expect(counting.evaluations == 16 + 32 + 64 + 128)
    }
}

extension EulerSamplerTests {
    /// With churn (S_churn = 40, EDM's, on 64 Karras steps) 10⁵ samples match the chain's exact moments
    /// (`churnChainMoments`) within 4 standard errors. Euler's error grows with churn: the chain's std is
    /// 0.439 for data std 0.5 (0.458 at 128 steps, 0.488 at 512).
    @Test func churnMatchesTheExactChainMoments() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let sigmas = try KarrasSchedule().sigmas(stepCount: 64)
        let churn = Churn(amount: 40)
        let stats = try sampleStatistics(EulerSampler(churn: churn), gaussian: gaussian, sigmas: sigmas, seed: 31)
        let chain = churnChainMoments(.euler, churn: churn, sigmas: sigmas, gaussian: gaussian)
        #expect(stats.count >= 100_000)
        #expect(abs(stats.mean - chain.mean) < 4 * stats.meanError, "mean \(stats.mean) vs \(chain.mean) ± \(stats.meanError)")
        #expect(abs(stats.std - chain.std) < 4 * stats.stdError, "std \(stats.std) vs \(chain.std) ± \(stats.stdError)")
        #expect(abs(chain.std - 0.4394) < 1e-3)
    }
}
