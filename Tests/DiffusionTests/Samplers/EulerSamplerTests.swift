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
