import Diffusion
import Testing
import Torch

@Suite struct EpsilonParametrisationTests {
    /// D = x̃ − σ·F; the target is the noise.
    @Test func subtractsScaledNoise() throws {
        let process = try VarianceExplodingProcess()
        let c = try process.coefficients(at: Tensor([0.5]), dtype: .float64)
        let sigma = process.sigma(at: 0.5)
        let d = try EpsilonParametrisation().denoised(output: Tensor([2.0], shape: [1, 1]), x: Tensor([1.0], shape: [1, 1]), coefficients: c)
        #expect(try abs(d.item() - (1 - sigma * 2)) < 1e-12)
        let noise = try Tensor([0.3], shape: [1, 1])
        #expect(try EpsilonParametrisation().target(clean: Tensor([9.0], shape: [1, 1]), noise: noise, coefficients: c).item() == 0.3)
    }
}
