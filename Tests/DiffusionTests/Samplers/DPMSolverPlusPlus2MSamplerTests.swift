import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct DPMSolverPlusPlus2MSamplerTests {
    /// On Karras levels DPM-Solver++(2M) converges to the exact endpoint at second order (measured: errors
    /// 0.0214, 0.0048, 0.0011; orders 2.16, 2.08) with one evaluation per step.
    @Test func convergesAtSecondOrder() throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let counting = CountingDenoiser(gaussian)
        let errors = try endpointErrors(
            DPMSolverPlusPlus2MSampler(), denoiser: counting, gaussian: gaussian, stepCounts: [32, 64, 128],
            startScale: { $0 }, sigmas: { try KarrasSchedule().sigmas(stepCount: $0) })
        let orders = observedOrders(errors)
        #expect(orders.allSatisfy { abs($0 - 2) < 0.2 }, "orders \(orders)")
        #expect(errors.last! < 2e-3)
        #expect(counting.evaluations == 32 + 64 + 128)
    }

    /// Step by step it is k-diffusion's `sample_dpmpp_2m` in t = −log σ: x′ = (σ(t′)/σ(t))·x − expm1(−h)·D̂,
    /// written out here with the previous D kept by hand.
    @Test func followsTheLogSigmaReference() throws {
        let gaussian = GaussianDenoiser(mean: -0.3, std: 0.8)
        let sigmas = try KarrasSchedule(sigmaMin: 0.01, sigmaMax: 20).sigmas(stepCount: 9)
        let noise = try Tensor.randn([5, 3], dtype: .float64, generator: Generator(seed: 4))
        let condition = try unconditioned(batch: 5)
        let ours = try DPMSolverPlusPlus2MSampler().sample(
            gaussian, noise: noise, sigmas: sigmas, condition: condition, generator: Generator(seed: 0))

        var x = try noise * sigmas[0]
        var oldDenoised: Tensor?
        for i in 0..<(sigmas.count - 1) {
            let denoised = try gaussian(x, sigma: sigmas[i], condition: condition)
            if sigmas[i + 1] == 0 {
                x = denoised
            } else {
                let (t, tNext) = (-log(sigmas[i]), -log(sigmas[i + 1]))
                let h = tNext - t
                var d = denoised
                if let oldDenoised {
                    let r = (t + log(sigmas[i - 1])) / h
                    d = try (1 + 1 / (2 * r)) * denoised - (1 / (2 * r)) * oldDenoised
                }
                x = try (exp(-tNext) / exp(-t)) * x - expm1(-h) * d
            }
            oldDenoised = denoised
        }
        #expect(try maxAbsDifference(ours, x) < 1e-12)
    }
}
