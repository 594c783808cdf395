import Diffusion
import Testing
import Torch

@Suite struct LossWeightingTests {
    /// λ = 1 and λ = (s·σ)².
    @Test func weights() throws {
        let process = try VariancePreservingProcess()
        let c = try process.coefficients(at: Tensor([0.1, 0.9]), dtype: .float64)
        #expect(try UnitLossWeighting().weight(c).toArray(Double.self) == [1, 1])
        let variance = try MarginalVarianceLossWeighting().weight(c).toArray(Double.self)
        for (value, t) in zip(variance, [0.1, 0.9]) {
            #expect(abs(value - (1 - process.scale(at: t) * process.scale(at: t))) < 1e-14)
        }
    }
}
