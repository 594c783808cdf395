import CaloModels
import Testing
import Foundation
import Torch

@Suite struct DequantisationTests {
    /// The noise lies in [lower, upper]·threshold and is log-uniform there: half of it below the geometric mean.
    @Test func noiseIsLogUniformInItsRange() throws {
        let dequantise = Dequantisation(threshold: 0.015, lower: 1e-4, upper: 1e-1)
        let noise = try dequantise(try Tensor.zeros([20_000], dtype: .float64), generator: try Generator(seed: 5))
        #expect(try noise.amin().item() >= 0.015 * 1e-4)
        #expect(try noise.amax().item() <= 0.015 * 1e-1)
        let below = try (noise .< 0.015 * Foundation.sqrt(1e-5)).to(dtype: .float64).mean().item()
        #expect(Swift.abs(below - 0.5) < 0.02)
    }

    /// A hit above the threshold changes by less than a tenth of it; an empty voxel stays below it.
    @Test func hitsKeepTheirEnergyAndEmptyVoxelsStayBelowTheThreshold() throws {
        let dequantise = Dequantisation(threshold: 1)
        let values = try Tensor([0.0, 0, 5, 200], shape: [4])
        let noisy = try dequantise(values, generator: try Generator(seed: 1)).toArray(Double.self)
        #expect(noisy[0] < 0.1 && noisy[1] < 0.1)
        #expect(noisy[2] - 5 < 0.1 && noisy[3] - 200 < 0.1)
    }
}
