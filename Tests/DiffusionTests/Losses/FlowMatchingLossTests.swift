import Diffusion
import Testing
import Torch
import _TestSupport

@Suite struct FlowMatchingLossTests {
    /// Conditional flow matching: x_t = (1 − t)·x₀ + t·n, loss = mean (F − (n − x₀))².
    @Test func regressesTheVelocity() throws {
        let times = [0.0, 0.5, 0.999]
        let clean = try Tensor([1.0, -0.5, 0.2, 2.0, 0.0, -1.5], shape: [3, 2])
        let noise = try Tensor([0.3, 1.1, -0.8, 0.4, 2.0, -0.1], shape: [3, 2])
        let loss = try FlowMatchingLoss().loss(
            { xt, t, _ in try xt * 0.3 + t.appendingUnitAxes(toRank: 2) }, clean: clean, condition: unconditioned(batch: 3),
            weights: nil, draw: TrainingDraw(levels: Tensor(times), noise: noise)
        ).item()
        let (x, z) = (try clean.toArray(Double.self), try noise.toArray(Double.self))
        var total = 0.0
        for i in 0..<6 {
            let t = times[i / 2]
            let residual = 0.3 * ((1 - t) * x[i] + t * z[i]) + t - (z[i] - x[i])
            total += residual * residual
        }
        #expect(abs(loss - total / 6) < 1e-12)
    }

    /// t is drawn from [0, 1).
    @Test func drawsTimesInTheUnitInterval() throws {
        let draw = try FlowMatchingLoss().draw(for: Tensor.zeros([300, 1], dtype: .float64), generator: Generator(seed: 8))
        #expect(try draw.levels.toArray(Double.self).allSatisfy { $0 >= 0 && $0 < 1 })
    }
}
