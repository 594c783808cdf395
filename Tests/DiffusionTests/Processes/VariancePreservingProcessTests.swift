import Diffusion
import Foundation
import Testing

@Suite struct VariancePreservingProcessTests {
    /// s² + (s·σ)² = 1 (variance preserving), and s(1) = exp(−¼·19.9 − 0.05) for CaloScore's β range.
    @Test func preservesVariance() throws {
        let process = try VariancePreservingProcess()
        for t in [1e-5, 0.01, 0.5, 1] {
            let (s, std) = (process.scale(at: t), process.marginalStd(at: t))
            #expect(abs(s * s + std * std - 1) < 1e-14, "t = \(t)")
        }
        #expect(abs(process.scale(at: 1) - exp(-0.25 * 19.9 - 0.05)) < 1e-15)
    }

    /// A constant β (β_min = β_max) has s = e^{−βt/2}, and the inverse still holds.
    @Test func constantBeta() throws {
        let process = try VariancePreservingProcess(betaMin: 2, betaMax: 2)
        #expect(abs(process.scale(at: 0.4) - exp(-0.4)) < 1e-15)
        #expect(abs(process.time(atSigma: process.sigma(at: 0.4)) - 0.4) < 1e-12)
    }

    /// β_min ≤ 0 or β_max < β_min, and t_min = 0 (σ = 0), are rejected.
    @Test func rejectsInvalidParameters() {
        #expect(throws: DiffusionError.self) { try VariancePreservingProcess(betaMin: 0) }
        #expect(throws: DiffusionError.self) { try VariancePreservingProcess(betaMin: 1, betaMax: 0.5) }
        #expect(throws: DiffusionError.self) { try VariancePreservingProcess(timeRange: 0...1) }
    }
}
