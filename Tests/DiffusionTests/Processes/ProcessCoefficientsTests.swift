import Diffusion
import Testing
import Torch

@Suite struct ProcessCoefficientsTests {
    /// Integer time indices (int64) give float coefficients of the schedule at those indices.
    @Test func discreteIndicesGiveTheScheduleValues() throws {
        let schedule = try DDPMSchedule.cosine(stepCount: 40)
        let process = try DiscreteVarianceProcess(schedule: schedule)
        let c = try process.coefficients(at: Tensor([Int64(0), 5, 39]), dtype: .float64)
        #expect(c.time.dtype == .float64)
        #expect(try c.sigma.toArray(Double.self) == [0, 5, 39].map { schedule.veSigmas[$0] })
        let std = try c.marginalStd.toArray(Double.self)
        for (value, t) in zip(std, [0, 5, 39]) { #expect(abs(value - schedule.noiseLevels[t]) < 1e-14) }
    }
}
