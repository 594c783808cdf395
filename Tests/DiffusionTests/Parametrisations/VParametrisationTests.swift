import Diffusion
import Testing
import Torch

@Suite struct VParametrisationTests {
    /// Under a VP process D = α·x_t − σ_t·v (Salimans & Ho), and v = α·n − σ_t·x₀ (spec §B.2.2).
    @Test func matchesSalimansHoForVariancePreserving() throws {
        let process = CosineProcess.caloScoreV2
        let c = try process.coefficients(at: Tensor([0.3]), dtype: .float64)
        let (alpha, sigmaT) = (process.scale(at: 0.3), process.marginalStd(at: 0.3))
        let (x, v) = (1.5, -0.4)
        let d = try VParametrisation().denoised(output: Tensor([v], shape: [1, 1]), x: Tensor([x], shape: [1, 1]), coefficients: c).item()
        #expect(abs(d - (alpha * (alpha * x) - sigmaT * v)) < 1e-12)
        let target = try VParametrisation().target(clean: Tensor([2.0], shape: [1, 1]), noise: Tensor([0.5], shape: [1, 1]), coefficients: c).item()
        #expect(abs(target - (alpha * 0.5 - sigmaT * 2)) < 1e-12)
    }
}
