import Diffusion
import Foundation
import Testing

@Suite struct KarrasScheduleTests {
    @Test(arguments: [1, 2, 3, 13, 18, 40, 256])
    func invariantsHold(stepCount: Int) throws {
        let schedule = try KarrasSchedule()
        let sigmas = try schedule.sigmas(stepCount: stepCount)
        #expect(sigmas.count == stepCount + 1)
        #expect(sigmas.first == 80)
        #expect(sigmas.last == 0)
        if stepCount > 1 { #expect(sigmas[stepCount - 1] == 0.002) }
        #expect(zip(sigmas, sigmas.dropFirst()).allSatisfy { $0 > $1 })
    }

    /// Spec §C.2 lists the CaloClouds II levels for N = 13 and the consistency boundaries for N = 18.
    @Test func matchesTheListedCaloCloudsLevels() throws {
        let listed13 = [80, 49.98, 30.18, 17.53, 9.723, 5.109, 2.515, 1.143, 0.470, 0.1698, 0.05153, 0.01224, 0.002, 0]
        let listed18 = [
            80, 57.59, 40.79, 28.37, 19.35, 12.91, 8.401, 5.315, 3.257, 1.923, 1.088, 0.5853, 0.2964, 0.1395,
            0.05995, 0.02293, 0.007528, 0.002, 0,
        ]
        for (listed, n) in [(listed13, 13), (listed18, 18)] {
            let sigmas = try KarrasSchedule().sigmas(stepCount: n)
            for (a, b) in zip(sigmas, listed) {
                // The spec rounds to 4 significant digits.
                #expect(abs(a - b) <= 6e-4 * b, "σ = \(a), listed \(b)")
            }
        }
    }

    @Test func followsEquationFive() throws {
        let schedule = try KarrasSchedule(sigmaMin: 0.01, sigmaMax: 10, rho: 3)
        let sigmas = try schedule.sigmas(stepCount: 5)
        for i in 1..<4 {
            let r = pow(10, 1.0 / 3) + Double(i) / 4 * (pow(0.01, 1.0 / 3) - pow(10, 1.0 / 3))
            #expect(abs(sigmas[i] - r * r * r) < 1e-13)
        }
    }

    @Test func invalidParametersThrow() throws {
        #expect(throws: DiffusionError.self) { try KarrasSchedule(sigmaMin: 0) }
        #expect(throws: DiffusionError.self) { try KarrasSchedule(sigmaMin: 1, sigmaMax: 1) }
        #expect(throws: DiffusionError.self) { try KarrasSchedule(rho: 0) }
        #expect(throws: DiffusionError.self) { try KarrasSchedule().sigmas(stepCount: 0) }
    }
}
