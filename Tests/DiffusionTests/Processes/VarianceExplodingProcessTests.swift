import Diffusion
import Testing

@Suite struct VarianceExplodingProcessTests {
    /// σ(0) = σ_min, σ(1) = σ_max and σ(½) = √(σ_min·σ_max); s = 1.
    @Test func geometricLevels() throws {
        let process = try VarianceExplodingProcess(sigmaMin: 0.01, sigmaMax: 50)
        #expect(abs(process.sigma(at: 0) - 0.01) < 1e-15)
        #expect(abs(process.sigma(at: 1) - 50) < 1e-12)
        #expect(abs(process.sigma(at: 0.5) - (0.01 * 50).squareRoot()) < 1e-12)
        #expect(process.scale(at: 0.3) == 1 && process.scaleDerivative(at: 0.3) == 0)
    }

    /// σ_max ≤ σ_min and time ranges outside [0, 1] are rejected.
    @Test func rejectsInvalidParameters() {
        #expect(throws: DiffusionError.self) { try VarianceExplodingProcess(sigmaMin: 1, sigmaMax: 1) }
        #expect(throws: DiffusionError.self) { try VarianceExplodingProcess(timeRange: 0...1.5) }
    }
}
