import Diffusion
import Foundation
import Testing
import Torch
import TorchNN
import _TestSupport

@Suite struct EpsilonLossTests {
    /// With the exact ε-predictor the loss is, per element, (ε − E[ε | x_t])² with mean Var(ε | x_t) =
    /// ᾱs²/(ᾱs² + 1 − ᾱ), so its expectation over t ~ U{0…T−1} is the average of that over the schedule.
    @Test func exactPredictorReachesItsAnalyticExpectation() throws {
        let schedule = try DDPMSchedule.cosine()
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let generator = try Generator(seed: 31)
        let count = 200_000
        let clean = try Tensor.randn([count, 1], dtype: .float64, generator: generator) * 0.5 + 1
        let loss = try EpsilonLoss(schedule: schedule)(
            gaussian.epsilonNetwork, clean: clean, condition: unconditioned(batch: count), generator: generator
        ).item()
        let variances = schedule.alphaBars.map { gaussian.epsilonResidualVariance(alphaBar: $0) }
        let expected = variances.reduce(0, +) / Double(variances.count)
        // Each element is v_t·χ²₁: second moment 3v_t², averaged over t.
        let secondMoment = variances.map { 3 * $0 * $0 }.reduce(0, +) / Double(variances.count)
        let standardError = ((secondMoment - expected * expected) / Double(count)).squareRoot()
        #expect(abs(loss - expected) < 4 * standardError, "loss \(loss), expected \(expected) ± \(standardError)")
    }

    /// The network sees x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε and √(1−ᾱ_t) for each sample's own t; the loss is the MSE.
    @Test func formsTheForwardProcessPerSample() throws {
        let schedule = try DDPMSchedule.cosine()
        let clean = try Tensor([1.0, 2.0, -1.0, 0.5, 3.0, -2.0], shape: [3, 2])
        let noise = try Tensor([0.1, -0.2, 0.3, 0.0, -1.0, 2.0], shape: [3, 2])
        let timesteps = try Tensor([Int64(0), 150, 399])
        var seen: [Tensor] = []
        let loss = try EpsilonLoss(schedule: schedule).loss(
            { xt, n, _ in
                seen = [xt, n]; return try xt.zerosLike()
            }, clean: clean, condition: unconditioned(batch: 3),
            timesteps: timesteps, noise: noise)
        let (x0, eps) = (try clean.toArray(Double.self), try noise.toArray(Double.self))
        var expected: [Double] = []
        for (row, t) in [0, 150, 399].enumerated() {
            for column in 0..<2 {
                let i = 2 * row + column
                expected.append(schedule.alphaBars[t].squareRoot() * x0[i] + schedule.noiseLevels[t] * eps[i])
            }
        }
        #expect(try maxAbsDifference(seen[0], Tensor(expected, shape: [3, 2])) < 1e-15)
        #expect(try maxAbsDifference(seen[1], Tensor([0, 150, 399].map { schedule.noiseLevels[$0] })) < 1e-15)
        #expect(try abs(loss.item() - eps.map { $0 * $0 }.reduce(0, +) / 6) < 1e-15)
    }

    @Test func rejectsMismatchedTimestepsOrNoise() throws {
        let loss = try EpsilonLoss(schedule: .cosine())
        let clean = try Tensor.zeros([3, 2], dtype: .float64)
        #expect(throws: DiffusionError.self) {
            try loss.loss(
                { xt, _, _ in xt }, clean: clean, condition: unconditioned(batch: 3),
                timesteps: Tensor([Int64(0), 1]), noise: clean)
        }
        #expect(throws: DiffusionError.self) {
            try loss.loss(
                { xt, _, _ in xt }, clean: clean, condition: unconditioned(batch: 3),
                timesteps: Tensor([Int64(0), 1, 2]), noise: Tensor.zeros([3, 3], dtype: .float64))
        }
    }

    /// Gradients reach a tiny TorchNN network through the loss: Adam steps on 1-D Gaussian data lower it.
    @Test func trainsATinyNetwork() throws {
        let lossCurve = try trainTinyNetwork { schedule, network, clean, condition, generator in
            try EpsilonLoss(schedule: schedule)(network, clean: clean, condition: condition, generator: generator)
        }
        let (first, last) = (lossCurve.prefix(10).reduce(0, +) / 10, lossCurve.suffix(10).reduce(0, +) / 10)
        #expect(last < 0.8 * first, "loss \(first) → \(last)")
    }
}

/// Fits Linear(2 → 32) → SiLU → Linear(32 → 1) on [x_t, noise level] to N(1, 0.5²) data with 60 Adam steps
/// (batch 256, learning rate 1e-2, T = 100 cosine) and returns the loss per step.
func trainTinyNetwork(
    _ objective: (DDPMSchedule, DiffusionNetwork, Tensor, DiffusionCondition, Generator) throws -> Tensor
) throws -> [Double] {
    let generator = try Generator(seed: 41)
    let model = Sequential([try Linear(2, 32, generator: generator), SiLU(), try Linear(32, 1, generator: generator)])
    let optimizer = Adam(parameters: model.parameters(), learningRate: 1e-2)
    let schedule = try DDPMSchedule.cosine(stepCount: 100)
    let network: DiffusionNetwork = { xt, noiseLevel, _ in
        try model(Tensor.cat([xt, noiseLevel.unsqueezed(1)], dim: 1))
    }
    let condition = try unconditioned(batch: 256, dtype: .float32)
    var curve: [Double] = []
    for _ in 0..<60 {
        let clean = try Tensor.randn([256, 1], generator: generator) * 0.5 + 1
        try optimizer.zeroGrad()
        let loss = try objective(schedule, network, clean, condition, generator)
        try loss.backward()
        try optimizer.step()
        curve.append(try loss.item())
    }
    return curve
}
