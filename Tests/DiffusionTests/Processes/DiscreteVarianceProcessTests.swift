import Diffusion
import Foundation
import Testing

@Suite struct DiscreteVarianceProcessTests {
    /// At integer t the process is the schedule: σ = σ_t and s = √ᾱ_t; with T steps the sampling levels are
    /// the schedule's own.
    @Test func agreesWithTheScheduleOnItsGrid() throws {
        let schedule = try DDPMSchedule.cosine(stepCount: 50)
        let process = try DiscreteVarianceProcess(schedule: schedule)
        for t in [0, 7, 49] {
            #expect(process.sigma(at: Double(t)) == schedule.veSigmas[t])
            #expect(abs(process.scale(at: Double(t)) - schedule.alphaBars[t].squareRoot()) < 1e-14)
            #expect(process.time(atSigma: schedule.veSigmas[t]) == Double(t))
        }
        #expect(try process.samplingSigmas(stepCount: 50) == schedule.samplingSigmas)
    }

    /// Between grid points ln σ is linear: σ(k + ½) = √(σ_k·σ_{k+1}).
    @Test func interpolatesLogSigma() throws {
        let schedule = try DDPMSchedule.linear(stepCount: 20)
        let process = try DiscreteVarianceProcess(schedule: schedule)
        let expected = (schedule.veSigmas[3] * schedule.veSigmas[4]).squareRoot()
        #expect(abs(process.sigma(at: 3.5) - expected) < 1e-14 * expected)
    }

    /// A one-step schedule has nothing to interpolate.
    @Test func rejectsSingleStepSchedules() throws {
        let schedule = try DDPMSchedule.cosine(stepCount: 1)
        #expect(throws: DiffusionError.self) { try DiscreteVarianceProcess(schedule: schedule) }
    }
}
