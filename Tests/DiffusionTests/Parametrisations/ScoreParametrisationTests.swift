import Diffusion
import Testing
import Torch

@Suite struct ScoreParametrisationTests {
    /// Under VE the score of x̃ gives D = x̃ + σ²·score (Tweedie); CaloScore's F/std form gives D = x̃ + σ·F.
    @Test func tweedieUnderVarianceExploding() throws {
        let process = try VarianceExplodingProcess()
        let c = try process.coefficients(at: Tensor([0.4]), dtype: .float64)
        let sigma = process.sigma(at: 0.4)
        let raw = try ScoreParametrisation(dividesByMarginalStd: false)
            .denoised(output: Tensor([0.25], shape: [1, 1]), x: Tensor([1.0], shape: [1, 1]), coefficients: c).item()
        #expect(abs(raw - (1 + sigma * sigma * 0.25)) < 1e-12)
        let divided = try ScoreParametrisation().denoised(output: Tensor([0.25], shape: [1, 1]), x: Tensor([1.0], shape: [1, 1]), coefficients: c).item()
        #expect(abs(divided - (1 + sigma * 0.25)) < 1e-12)
    }

    /// Targets: −n for CaloScore's network output, −n/(s·σ) for the score itself.
    @Test func targets() throws {
        let process = try VariancePreservingProcess()
        let c = try process.coefficients(at: Tensor([0.5]), dtype: .float64)
        let noise = try Tensor([0.8], shape: [1, 1])
        #expect(try ScoreParametrisation().target(clean: Tensor([1.0], shape: [1, 1]), noise: noise, coefficients: c).item() == -0.8)
        let score = try ScoreParametrisation(dividesByMarginalStd: false).target(clean: Tensor([1.0], shape: [1, 1]), noise: noise, coefficients: c)
        #expect(try abs(score.item() + 0.8 / process.marginalStd(at: 0.5)) < 1e-12)
    }
}
