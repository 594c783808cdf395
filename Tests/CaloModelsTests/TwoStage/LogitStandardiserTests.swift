import CaloModels
import Testing
import Torch

@Suite struct LogitStandardiserTests {
    /// After fitting, the standardised logits have mean 0 and standard deviation 1 per feature (constant
    /// features keep s = 1), and inverse(forward(x)) = x.
    @Test func fitStandardisesAndInverts() throws {
        let generator = try Generator(seed: 9)
        let varying = try Tensor.rand([500, 3], dtype: .float64, generator: generator)
        let constant = try Tensor.full([500, 1], value: 0.25, dtype: .float64)
        let x = try Tensor.cat([varying, constant], dim: 1)
        let standardiser = try LogitStandardiser(features: 4)
        try standardiser.fit(x)
        let y = try standardiser.forward(x.to(dtype: .float32))
        let means = try y.mean(dims: [0]).toArray(Float.self)
        let stds = try y.standardDeviation(dims: [0], correction: 0).toArray(Float.self)
        for feature in 0..<3 {
            #expect(Swift.abs(means[feature]) < 1e-4)
            #expect(Swift.abs(stds[feature] - 1) < 1e-4)
        }
        #expect(try standardiser.std.toArray(Float.self)[3] == 1)
        let back = try standardiser.inverse(y)
        #expect(try (back - x.to(dtype: .float32)).abs().amax().item() < 1e-5)
    }

    /// The statistics are buffers: in the state dict, not parameters.
    @Test func statisticsAreBuffersNotParameters() throws {
        let standardiser = try LogitStandardiser(features: 2)
        #expect(standardiser.parameterCount == 0)
        #expect(Set(standardiser.stateDict().keys) == ["mean", "std"])
    }

    @Test func invalidSettingsAreRefused() {
        #expect(throws: ModelError.self) { try LogitStandardiser(features: 0) }
        #expect(throws: ModelError.self) { try LogitStandardiser(features: 2, alpha: 0.5) }
    }
}
