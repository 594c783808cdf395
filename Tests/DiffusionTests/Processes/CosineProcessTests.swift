import Diffusion
import Foundation
import Testing

@Suite struct CosineProcessTests {
    /// logsnr runs from +20 at t = 0 to −20 at t = 1, and logsnr = ln(s²/(s·σ)²) = −2 ln σ.
    @Test func logSNREndpoints() throws {
        let process = CosineProcess.caloScoreV2
        #expect(abs(process.logSNR(at: 0) - 20) < 1e-9)
        #expect(abs(process.logSNR(at: 1) + 20) < 1e-9)
        #expect(abs(process.logSNR(at: 0.3) + 2 * log(process.sigma(at: 0.3))) < 1e-12)
    }

    /// α_t² + σ_t² = 1.
    @Test func preservesVariance() {
        let process = CosineProcess.caloScoreV2
        let (s, std) = (process.scale(at: 0.42), process.marginalStd(at: 0.42))
        #expect(abs(s * s + std * std - 1) < 1e-15)
    }

    @Test func rejectsInvalidParameters() {
        #expect(throws: DiffusionError.self) { try CosineProcess(maxLogSNR: -1, minLogSNR: 1) }
        #expect(throws: DiffusionError.self) { try CosineProcess(timeRange: -0.1...1) }
    }
}
