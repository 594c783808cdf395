import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct EDMLossTests {
    /// λ(σ)·(D − x₀)² equals (F − (x₀ − c_skip·x_σ)/c_out)², CaloClouds II's F-space form (spec §C.2).
    @Test func equalsTheFSpaceRegression() throws {
        let generator = try Generator(seed: 61)
        let clean = try Tensor.randn([6, 4], dtype: .float64, generator: generator) * 0.5
        let noise = try Tensor.randn([6, 4], dtype: .float64, generator: generator)
        let sigma = try Tensor([0.002, 0.05, 0.3, 1, 10, 80])
        let outputs = try Tensor.randn([6, 4], dtype: .float64, generator: generator)
        let denoiser = try EDMPreconditioner(sigmaData: 0.5) { _, _, _ in outputs }
        let loss = try EDMLoss().loss(denoiser, clean: clean, condition: unconditioned(batch: 6), sigma: sigma, noise: noise)
        let (cSkip, cOut, _, _) = try denoiser.scalings(sigma: sigma)
        let xSigma = try clean + sigma.appendingUnitAxes(toRank: 2) * noise
        let target = try (clean - cSkip.appendingUnitAxes(toRank: 2) * xSigma) / cOut.appendingUnitAxes(toRank: 2)
        let regression = try ((outputs - target) * (outputs - target)).mean().item()
        #expect(try abs(loss.item() - regression) < 1e-9 * regression)
    }

    /// With the exact Gaussian denoiser and σ_d = s, λ·E[(D − x₀)²] = λ·σ²s²/(σ² + s²) = 1 at every σ.
    @Test func exactDenoiserHasUnitExpectedLoss() throws {
        let gaussian = GaussianDenoiser(mean: 0, std: 0.5)
        let denoiser = try EDMPreconditioner(sigmaData: 0.5) { input, cNoise, condition in
            // Invert the preconditioning around the exact D: F = (D(x) − c_skip·x)/c_out with σ = e^{4·c_noise}.
            let sigma = try exp(cNoise * 4)
            let x = try input * sqrt(sigma * sigma + 0.25).appendingUnitAxes(toRank: input.ndim)
            let cSkip = try (0.25 / (sigma * sigma + 0.25)).appendingUnitAxes(toRank: input.ndim)
            let cOut = try (sigma * 0.5 / sqrt(sigma * sigma + 0.25)).appendingUnitAxes(toRank: input.ndim)
            return try (gaussian(x, sigma: sigma, condition: condition) - cSkip * x) / cOut
        }
        let generator = try Generator(seed: 62)
        let count = 100_000
        let clean = try Tensor.randn([count, 1], dtype: .float64, generator: generator) * 0.5
        let loss = try EDMLoss()(denoiser, clean: clean, condition: unconditioned(batch: count), generator: generator).item()
        // Each element is a χ²₁ variable (mean 1, variance 2).
        #expect(abs(loss - 1) < 4 * (2.0 / Double(count)).squareRoot(), "loss \(loss)")
    }
}
