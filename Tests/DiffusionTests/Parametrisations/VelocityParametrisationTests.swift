import Diffusion
import Testing
import Torch

@Suite struct VelocityParametrisationTests {
    /// Rectified flow: target n − x₀ and D = x_t − t·F.
    @Test func rectifiedFlowVelocity() throws {
        let process = RectifiedFlowProcess.standard
        let c = try process.coefficients(at: Tensor([0.6]), dtype: .float64)
        let target = try VelocityParametrisation().target(clean: Tensor([2.0], shape: [1, 1]), noise: Tensor([0.5], shape: [1, 1]), coefficients: c).item()
        #expect(target == 0.5 - 2)
        let xt = 0.4 * 2 + 0.6 * 0.5
        let x = xt / 0.4
        let d = try VelocityParametrisation().denoised(output: Tensor([-1.5], shape: [1, 1]), x: Tensor([x], shape: [1, 1]), coefficients: c).item()
        #expect(abs(d - (xt - 0.6 * -1.5)) < 1e-12)
        #expect(abs(d - 2) < 1e-12)
    }
}
