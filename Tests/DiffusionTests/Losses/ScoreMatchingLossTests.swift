import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct ScoreMatchingLossTests {
    /// CaloScore (spec §B.1.3, VP): x_t = m·x₀ + std·z, loss = mean (NN + z)², which equals
    /// λ·(NN/std + z/std)² with λ = std² when the network output is the score itself.
    @Test func matchesCaloScore() throws {
        let times = [1e-3, 0.4, 1.0]
        let clean = try Tensor([1.0, -0.5, 0.2, 2.0, 0.0, -1.5], shape: [3, 2])
        let noise = try Tensor([0.3, 1.1, -0.8, 0.4, 2.0, -0.1], shape: [3, 2])
        let draw = TrainingDraw(levels: try Tensor(times), noise: noise)
        let nn: (Tensor, Tensor) throws -> Tensor = { xt, t in try xt * 0.3 - t.appendingUnitAxes(toRank: 2) }
        let process = try VariancePreservingProcess()
        let condition = try unconditioned(batch: 3)
        let loss = try ScoreMatchingLoss(process: process).loss(
            { xt, t, _ in try nn(xt, t) }, clean: clean, condition: condition, weights: nil, draw: draw
        ).item()
        let (x, z) = (try clean.toArray(Double.self), try noise.toArray(Double.self))
        var total = 0.0
        var stds: [Double] = []
        for i in 0..<6 {
            let t = times[i / 2]
            let m = exp(-0.25 * t * t * 19.9 - 0.05 * t)
            let std = (1 - m * m).squareRoot()
            stds.append(std)
            let output = 0.3 * (m * x[i] + std * z[i]) - t
            total += (output + z[i]) * (output + z[i])
        }
        #expect(abs(loss - total / 6) < 1e-12)

        // The score network NN/std, trained with λ = std², gives the same loss.
        let scoreLoss = try ScoreMatchingLoss(process: process, dividesByMarginalStd: false).loss(
            { xt, t, _ in
                let std = try process.coefficients(at: t, dtype: .float64).marginalStd
                return try nn(xt, t) / std.appendingUnitAxes(toRank: 2)
            }, clean: clean, condition: condition, weights: nil, draw: draw
        ).item()
        #expect(abs(scoreLoss - loss) < 1e-12 * loss)
    }

    /// t is drawn from [1e-5, 1).
    @Test func drawsCaloScoreTimes() throws {
        let loss = ScoreMatchingLoss(process: try VarianceExplodingProcess())
        let draw = try loss.draw(for: Tensor.zeros([500, 1], dtype: .float64), generator: Generator(seed: 8))
        #expect(try draw.levels.toArray(Double.self).allSatisfy { $0 >= 1e-5 && $0 < 1 })
    }
}
