import Diffusion
import Foundation
import Testing
import Torch

@Suite struct NoiseLevelDistributionTests {
    /// Indices are int64 in 0 … T−1 and hit both ends.
    @Test func uniformIndices() throws {
        let draws = try UniformIndexDistribution(stepCount: 5)
            .sample(count: 2000, dtype: .float64, device: .cpu, generator: Generator(seed: 1))
        #expect(draws.dtype == .int64)
        let values = try draws.toArray(Int64.self)
        #expect(Set(values) == [0, 1, 2, 3, 4])
        #expect(throws: DiffusionError.self) { try UniformIndexDistribution(stepCount: 0) }
    }

    /// Times stay in [t_min, t_max) with mean (t_min + t_max)/2 within 4 standard errors.
    @Test func uniformTimes() throws {
        let count = 20_000
        let draws = try UniformTimeDistribution(range: 0.2...0.6)
            .sample(count: count, dtype: .float64, device: .cpu, generator: Generator(seed: 2))
        let values = try draws.toArray(Double.self)
        #expect(values.allSatisfy { $0 >= 0.2 && $0 < 0.6 })
        let mean = values.reduce(0, +) / Double(count)
        #expect(abs(mean - 0.4) < 4 * 0.4 / 12.0.squareRoot() / Double(count).squareRoot())
    }

    /// ln σ has mean P_mean and standard deviation P_std; EDMLoss draws σ from it.
    @Test func logNormalSigmas() throws {
        let count = 20_000
        let distribution = LogNormalSigmaDistribution(logSigmaMean: -1.2, logSigmaStd: 1.2)
        let logs = try distribution.sample(count: count, dtype: .float64, device: .cpu, generator: Generator(seed: 3))
            .toArray(Double.self).map { log($0) }
        let mean = logs.reduce(0, +) / Double(count)
        #expect(abs(mean + 1.2) < 4 * 1.2 / Double(count).squareRoot())
        let clean = try Tensor.zeros([7, 2], dtype: .float64)
        let edmLevels = try EDMLoss().draw(for: clean, generator: Generator(seed: 4)).levels
        let direct = try distribution.sample(count: 7, dtype: .float64, device: .cpu, generator: Generator(seed: 4))
        #expect(try edmLevels.toArray(Double.self) == direct.toArray(Double.self))
    }
}
