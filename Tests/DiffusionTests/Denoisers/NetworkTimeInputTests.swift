import Diffusion
import Foundation
import Testing
import Torch

@Suite struct NetworkTimeInputTests {
    /// Each input is its formula of the coefficients.
    @Test func inputs() throws {
        let process = try VariancePreservingProcess()
        let c = try process.coefficients(at: Tensor([0.25]), dtype: .float64)
        #expect(try NetworkTimeInput.time.value(c).item() == 0.25)
        #expect(try NetworkTimeInput.scaledTime(1000).value(c).item() == 250)
        #expect(try abs(NetworkTimeInput.marginalStd.value(c).item() - process.marginalStd(at: 0.25)) < 1e-15)
        #expect(try abs(NetworkTimeInput.quarterLogSigma.value(c).item() - log(process.sigma(at: 0.25)) / 4) < 1e-15)
    }
}
