import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct CountingDenoiserTests {
    /// It counts every call, returns the wrapped denoiser's output unchanged, and resets to 0.
    @Test func countsEvaluationsAndPassesResultsThrough() throws {
        let gaussian = GaussianDenoiser(mean: 0.5, std: 2)
        let counting = CountingDenoiser(gaussian)
        let x = try Tensor([-1.0, 0.0, 3.0])
        let condition = try unconditioned(batch: 3)
        #expect(counting.evaluations == 0)
        let counted = try counting(x, sigma: 0.7, condition: condition)
        _ = try counting(x, sigma: Tensor([0.1, 0.2, 0.3]), condition: condition)
        #expect(counting.evaluations == 2)
        #expect(try maxAbsDifference(counted, gaussian(x, sigma: 0.7, condition: condition)) == 0)
        counting.reset()
        #expect(counting.evaluations == 0)
    }

    /// The count survives being handed to a sampler by value: Euler on 5 steps makes 5 evaluations.
    @Test func countsWhatASamplerEvaluates() throws {
        let counting = CountingDenoiser(GaussianDenoiser(mean: 0, std: 1))
        _ = try EulerSampler().sample(
            counting, noise: Tensor.zeros([2], dtype: .float64), sigmas: KarrasSchedule().sigmas(stepCount: 5),
            condition: unconditioned(batch: 2), generator: Generator(seed: 0))
        #expect(counting.evaluations == 5)
    }
}
