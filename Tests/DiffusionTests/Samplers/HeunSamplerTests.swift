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
