import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct HybridLossTests {
    /// A hand case of spec §A.5: Σ_b Σ_v w_b·(D − x₀)² / (mean_b w_b · voxels), computed here in plain Doubles.
    @Test func normalisesByTheMeanWeightAndVoxelCount() throws {
        let schedule = try DDPMSchedule.cosine()
        let x0: [Double] = [1, 2, 3, 0, -1, 0.5]
        let eps: [Double] = [0.1, 0.2, -0.3, 1, 0, -1]
        let times = [10, 300]
        let output = 0.5  // the "network" returns 0.5 everywhere
        var weightedSum = 0.0
        var weights: [Double] = []
        for (b, t) in times.enumerated() {
            let n = schedule.noiseLevels[t]
            let (cSkip, cOut, w) = (1 / (1 + n * n), n / (1 + n * n).squareRoot(), 1 + 1 / (n * n))
            weights.append(w)
            for v in 0..<3 {
                let xt = schedule.alphaBars[t].squareRoot() * x0[3 * b + v] + n * eps[3 * b + v]
                let denoised = cSkip * xt + cOut * output
                weightedSum += w * (denoised - x0[3 * b + v]) * (denoised - x0[3 * b + v])
            }
        }
        let expected = weightedSum / ((weights[0] + weights[1]) / 2 * 3)

        let clean = try Tensor(x0, shape: [2, 3])
        let loss = try HybridLoss(schedule: schedule).loss(
            { xt, _, _ in try xt.fullLike(output) }, clean: clean, condition: unconditioned(batch: 2),
            timesteps: Tensor(times.map(Int64.init)), noise: Tensor(eps, shape: [2, 3]))
        #expect(try abs(loss.item() - expected) < 1e-12 * expected)

        // Not divided by the batch size: the same two showers twice give twice the loss.
        let doubled = try HybridLoss(schedule: schedule).loss(
            { xt, _, _ in try xt.fullLike(output) }, clean: Tensor.cat([clean, clean]), condition: unconditioned(batch: 4),
            timesteps: Tensor((times + times).map(Int64.init)), noise: Tensor(eps + eps, shape: [4, 3]))
        #expect(try abs(doubled.item() - 2 * expected) < 1e-12 * expected)
    }

    /// Since w·c_out² = 1 the loss is the F-space regression Σ (F − (x₀ − c_skip·x_t)/c_out)² / (mean w · voxels)
    /// scaled back by mean w: here checked with random network outputs.
    @Test func equalsTheUnweightedFSpaceRegression() throws {
        let schedule = try DDPMSchedule.cosine()
        let generator = try Generator(seed: 51)
        let clean = try Tensor.randn([5, 4], dtype: .float64, generator: generator)
        let noise = try Tensor.randn([5, 4], dtype: .float64, generator: generator)
        let timesteps = try Tensor([Int64(0), 3, 100, 250, 399])
        let outputs = try Tensor.randn([5, 4], dtype: .float64, generator: generator)
        let loss = try HybridLoss(schedule: schedule).loss(
            { _, _, _ in outputs }, clean: clean, condition: unconditioned(batch: 5), timesteps: timesteps, noise: noise)
        let n = try Tensor([0, 3, 100, 250, 399].map { schedule.noiseLevels[$0] })
        let a = try Tensor([0, 3, 100, 250, 399].map { schedule.alphaBars[$0].squareRoot() }).appendingUnitAxes(toRank: 2)
        let xt = try a * clean + n.appendingUnitAxes(toRank: 2) * noise
        let (cSkip, cOut) = try HybridDenoiser.scalings(noiseLevel: n.appendingUnitAxes(toRank: 2))
        let target = try (clean - cSkip * xt) / cOut
        let regression = try (((outputs - target) * (outputs - target)).sum() / (HybridLoss.weight(noiseLevel: n).mean() * 4))
            .item()
        #expect(try abs(loss.item() - regression) < 1e-10 * regression)
    }

    @Test func trainsATinyNetwork() throws {
        let lossCurve = try trainTinyNetwork { schedule, network, clean, condition, generator in
            try HybridLoss(schedule: schedule)(network, clean: clean, condition: condition, generator: generator)
        }
        let (first, last) = (lossCurve.prefix(10).reduce(0, +) / 10, lossCurve.suffix(10).reduce(0, +) / 10)
        #expect(last < 0.8 * first, "loss \(first) → \(last)")
    }
}
