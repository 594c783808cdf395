import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct DiffusionProcessTests {
    /// s(t) and s(t)·σ(t) equal each paper's marginal mean factor and std.
    @Test(arguments: ProcessCase.allCases) func coefficientsMatchTheClosedFormMarginal(_ kind: ProcessCase) throws {
        let process = try kind.make()
        for t in try kind.gridTimes() {
            let (scale, std) = try kind.marginal(at: t)
            #expect(abs(process.scale(at: t) - scale) <= 1e-12 * scale, "\(kind) s(\(t))")
            #expect(abs(process.marginalStd(at: t) - std) <= 1e-12 * std, "\(kind) std(\(t))")
            #expect(abs(process.scale(at: t) * process.sigma(at: t) - std) <= 1e-12 * std, "\(kind) s·σ(\(t))")
        }
    }

    /// Samples of x_t = noised(x₀, t, n) have mean s·x₀ and standard deviation s·σ (within 5 standard errors).
    @Test(arguments: ProcessCase.allCases) func noisedSamplesHaveTheMarginalMoments(_ kind: ProcessCase) throws {
        let process = try kind.make()
        let t = try kind.gridTimes()[1]
        let (scale, std) = try kind.marginal(at: t)
        let count = 40_000
        let clean = try Tensor.full([count, 1], value: 0.7, dtype: .float64)
        let noise = try Tensor.randn([count, 1], dtype: .float64, generator: Generator(seed: 5))
        let stats = try SampleStatistics(process.noised(clean: clean, t: Tensor.full([count], value: t, dtype: .float64), noise: noise))
        #expect(abs(stats.mean - scale * 0.7) < 5 * stats.meanError, "\(kind) mean \(stats.mean)")
        #expect(abs(stats.std - std) < 5 * stats.stdError, "\(kind) std \(stats.std)")
    }

    /// time(atSigma:) inverts sigma(at:).
    @Test(arguments: ProcessCase.allCases) func timeInvertsSigma(_ kind: ProcessCase) throws {
        let process = try kind.make()
        let width = process.timeRange.upperBound - process.timeRange.lowerBound
        for t in try kind.interiorTimes() + kind.gridTimes() {
            #expect(abs(process.time(atSigma: process.sigma(at: t)) - t) < 1e-9 * width, "\(kind) t = \(t)")
        }
    }

    /// The derivatives agree with central differences.
    @Test(arguments: ProcessCase.allCases) func derivativesMatchFiniteDifferences(_ kind: ProcessCase) throws {
        let process = try kind.make()
        let h = 1e-5 * (process.timeRange.upperBound - process.timeRange.lowerBound)
        func difference(_ f: (Double) -> Double, _ t: Double) -> Double { (f(t + h) - f(t - h)) / (2 * h) }
        for t in try kind.interiorTimes() {
            let pairs: [(String, Double, Double)] = [
                ("s'", process.scaleDerivative(at: t), difference(process.scale(at:), t)),
                ("σ'", process.sigmaDerivative(at: t), difference(process.sigma(at:), t)),
                ("(sσ)'", process.marginalStdDerivative(at: t), difference(process.marginalStd(at:), t)),
            ]
            for (name, exact, numeric) in pairs {
                #expect(abs(exact - numeric) <= 1e-6 * max(abs(exact), 1e-3), "\(kind) \(name)(\(t)): \(exact) vs \(numeric)")
            }
        }
    }

    /// N + 1 levels: σ(t_max) first, σ(t_min) last before the final 0, strictly descending; N < 1 throws.
    @Test(arguments: ProcessCase.allCases) func samplingSigmasSpanTheTimeRange(_ kind: ProcessCase) throws {
        let process = try kind.make()
        let sigmas = try process.samplingSigmas(stepCount: 12)
        #expect(sigmas.count == 13)
        #expect(sigmas[0] == process.sigma(at: process.timeRange.upperBound))
        #expect(sigmas[11] == process.sigma(at: process.timeRange.lowerBound))
        #expect(sigmas[12] == 0)
        #expect(zip(sigmas, sigmas.dropFirst()).allSatisfy { $0 > $1 })
        #expect(try process.samplingSigmas(stepCount: 1) == [process.sigma(at: process.timeRange.upperBound), 0])
        #expect(throws: DiffusionError.self) { try process.samplingSigmas(stepCount: 0) }
    }

    /// Per-sample coefficients equal the host functions, in the requested dtype and the time tensor's shape.
    @Test(arguments: ProcessCase.allCases) func tensorTimeHelpersMatchTheHostFunctions(_ kind: ProcessCase) throws {
        let process = try kind.make()
        let times = try kind.interiorTimes()
        let t = try Tensor(times)
        let c = try process.coefficients(at: t, dtype: .float32)
        #expect(c.sigma.dtype == .float32 && c.sigma.shape == [3])
        let sigmas = try c.sigma.toArray(Double.self)
        for (sigma, time) in zip(sigmas, times) {
            #expect(abs(sigma - process.sigma(at: time)) <= 1e-6 * process.sigma(at: time))
        }
        let roundTrip = try process.time(atSigma: Tensor(times.map { process.sigma(at: $0) })).toArray(Double.self)
        #expect(zip(roundTrip, times).allSatisfy { abs($0 - $1) < 1e-9 * max(1, abs($1)) })
    }

    /// A time tensor that is not [batch], or noise not shaped like the clean batch, is rejected.
    @Test func noisedRejectsMismatchedShapes() throws {
        let process = try VarianceExplodingProcess()
        let clean = try Tensor.zeros([4, 3], dtype: .float64)
        #expect(throws: DiffusionError.self) {
            try process.noised(clean: clean, t: Tensor.zeros([3], dtype: .float64), noise: Tensor.zeros([4, 3], dtype: .float64))
        }
        #expect(throws: DiffusionError.self) {
            try process.noised(clean: clean, t: Tensor.zeros([4], dtype: .float64), noise: Tensor.zeros([4, 2], dtype: .float64))
        }
    }
}
