import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct VPredictionLossTests {
    /// CaloScore v2 (spec §B.2.2): x_t = α·x + σ·z, v = α·z − σ·x with α² = sigmoid(logsnr), loss = MSE(F, v),
    /// and the network sees x_t and t.
    @Test func matchesTheSpecFormula() throws {
        let times = [0.05, 0.5, 0.93]
        let clean = try Tensor([1.0, -0.5, 0.2, 2.0, 0.0, -1.5], shape: [3, 2])
        let noise = try Tensor([0.3, 1.1, -0.8, 0.4, 2.0, -0.1], shape: [3, 2])
        let network: DiffusionNetwork = { xt, t, _ in try xt * 0.3 + t.appendingUnitAxes(toRank: 2) }
        let loss = try VPredictionLoss().loss(
            network, clean: clean, condition: unconditioned(batch: 3), weights: nil,
            draw: TrainingDraw(levels: Tensor(times), noise: noise)
        ).item()
        let (x, z) = (try clean.toArray(Double.self), try noise.toArray(Double.self))
        let b = atan(exp(-10.0))
        let a = atan(exp(10.0)) - b
        var total = 0.0
        for i in 0..<6 {
            let t = times[i / 2]
            let logSNR = -2 * log(tan(a * t + b))
            let alpha = (1 / (1 + exp(-logSNR))).squareRoot()
            let sigma = (1 / (1 + exp(logSNR))).squareRoot()
            let xt = alpha * x[i] + sigma * z[i]
            let v = alpha * z[i] - sigma * x[i]
            total += (0.3 * xt + t - v) * (0.3 * xt + t - v)
        }
        #expect(abs(loss - total / 6) < 1e-12)
    }

    /// t is drawn from [0, 1).
    @Test func drawsTimesInTheUnitInterval() throws {
        let draw = try VPredictionLoss().draw(for: Tensor.zeros([500, 2], dtype: .float64), generator: Generator(seed: 8))
        #expect(try draw.levels.toArray(Double.self).allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(draw.noise.shape == [500, 2])
    }
}
