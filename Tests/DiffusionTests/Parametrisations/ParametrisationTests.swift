import Diffusion
import Testing
import Torch

@Suite struct ParametrisationTests {
    /// For every process and parametrisation, the denoiser of the exact target recovers x₀ from x̃ = x₀ + σ·n.
    @Test(arguments: ParametrisationCase.allCases, ProcessCase.allCases)
    func targetDenoisesToTheCleanSample(_ kind: ParametrisationCase, _ processKind: ProcessCase) throws {
        let process = try processKind.make()
        let parametrisation = kind.make()
        let generator = try Generator(seed: 11)
        let clean = try Tensor.randn([3, 4], dtype: .float64, generator: generator)
        let noise = try Tensor.randn([3, 4], dtype: .float64, generator: generator)
        let c = try process.coefficients(at: Tensor(processKind.interiorTimes()), dtype: .float64)
        let x = try clean + c.sigma.appendingUnitAxes(toRank: 2) * noise
        let target = try parametrisation.target(clean: clean, noise: noise, coefficients: c)
        let denoised = try parametrisation.denoised(output: target, x: x, coefficients: c)
        let scale = try 1 + c.sigma.amax().item()
        #expect(try maxAbsDifference(denoised, clean) < 1e-11 * scale, "\(kind) under \(processKind)")
    }
}
