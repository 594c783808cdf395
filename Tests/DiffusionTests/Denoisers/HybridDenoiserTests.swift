import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct HybridDenoiserTests {
    @Test func lossWeightTimesSquaredOutputScaleIsOne() throws {
        let noiseLevel = try Tensor(DDPMSchedule.cosine().noiseLevels)
        let (cSkip, cOut) = try HybridDenoiser.scalings(noiseLevel: noiseLevel)
        let product = try HybridLoss.weight(noiseLevel: noiseLevel) * cOut * cOut
        #expect(try maxAbsDifference(product, product.onesLike()) < 1e-11)
        // c_skip² + c_out²·... : c_skip = 1/(1 + n²) and c_out² = n²/(1 + n²), so c_skip + c_out² = 1.
        #expect(try maxAbsDifference(cSkip + cOut * cOut, cSkip.onesLike()) < 1e-15)
    }

    /// Spec §A.5: as σ → 0, c_skip → 1; at t = T−1 (n² → 1) c_skip → 1/2 and c_out → 1/√2.
    @Test func scalingsHaveTheListedLimits() throws {
        let (cSkip, cOut) = try HybridDenoiser.scalings(noiseLevel: Tensor([1e-6, 1.0, DDPMSchedule.cosine().noiseLevels[399]]))
        let skip = try cSkip.toArray(Double.self)
        let out = try cOut.toArray(Double.self)
        #expect(abs(skip[0] - 1) < 1e-11 && abs(out[0]) < 1e-5)
        #expect(skip[1] == 0.5 && abs(out[1] - 0.5.squareRoot()) < 1e-15)
        #expect(abs(skip[2] - 0.5) < 1e-9 && abs(out[2] - 0.5.squareRoot()) < 1e-9)
    }

    /// The VE entry point (x, σ) and the VP entry point (x_t, n) agree, and the network sees x_t and n.
    @Test func veAndVPEntryPointsAgree() throws {
        var seen: [Tensor] = []
        let denoiser = HybridDenoiser { xt, noiseLevel, _ in
            seen = [xt, noiseLevel]
            return try cos(xt) * 0.3
        }
        let x = try Tensor.randn([4, 3], dtype: .float64, generator: Generator(seed: 3))
        let sigma = try Tensor([0.01, 0.7, 3.0, 200.0])
        let condition = try unconditioned(batch: 4)
        let viaVE = try denoiser(x, sigma: sigma, condition: condition)
        let n = try sigma / sqrt(1 + sigma * sigma)
        let xt = try x / sqrt(1 + sigma * sigma).appendingUnitAxes(toRank: 2)
        #expect(try maxAbsDifference(seen[0], xt) < 1e-14 && maxAbsDifference(seen[1], n) < 1e-15)
        let viaVP = try denoiser.denoised(variancePreserving: xt, noiseLevel: n, condition: condition)
        #expect(try maxAbsDifference(viaVE, viaVP) < 1e-14)
        let (cSkip, cOut) = try HybridDenoiser.scalings(noiseLevel: n)
        let expected = try cSkip.appendingUnitAxes(toRank: 2) * xt + cOut.appendingUnitAxes(toRank: 2) * cos(xt) * 0.3
        #expect(try maxAbsDifference(viaVP, expected) < 1e-15)
    }

    /// A network that outputs the exact target (x₀* − c_skip·x_t)/c_out for Gaussian data gives the exact D.
    @Test func exactTargetNetworkGivesTheExactDenoiser() throws {
        let gaussian = GaussianDenoiser(mean: 0.7, std: 0.4)
        let epsilonNetwork = gaussian.epsilonNetwork
        let denoiser = HybridDenoiser { xt, n, condition in
            let nB = try n.appendingUnitAxes(toRank: xt.ndim)
            let posteriorMean = try (xt - nB * epsilonNetwork(xt, n, condition)) / sqrt(1 - nB * nB)
            let (cSkip, cOut) = try HybridDenoiser.scalings(noiseLevel: nB)
            return try (posteriorMean - cSkip * xt) / cOut
        }
        let x = try Tensor.randn([5, 2], dtype: .float64, generator: Generator(seed: 4)) * 3
        let sigma = try Tensor([0.05, 0.4, 1, 5, 50])
        let condition = try unconditioned(batch: 5)
        #expect(
            try maxAbsDifference(denoiser(x, sigma: sigma, condition: condition), gaussian(x, sigma: sigma, condition: condition))
                < 1e-12)
    }
}
