import Diffusion
import Testing
import Torch

@Suite struct DataParametrisationTests {
    /// D = F; the target is x₀.
    @Test func outputIsTheDenoisedSample() throws {
        let c = try VarianceExplodingProcess().coefficients(at: Tensor([0.5]), dtype: .float64)
        #expect(try DataParametrisation().denoised(output: Tensor([2.0], shape: [1, 1]), x: Tensor([1.0], shape: [1, 1]), coefficients: c).item() == 2)
        #expect(try DataParametrisation().target(clean: Tensor([9.0], shape: [1, 1]), noise: Tensor([0.3], shape: [1, 1]), coefficients: c).item() == 9)
    }
}
