import Foundation

/// A discrete DDPM schedule as a process (k-diffusion `DiscreteSchedule`): t is the time index 0 … T−1,
/// σ(t) = σ_t = √((1 − ᾱ_t)/ᾱ_t) at integers (spec §A.15), interpolated linearly in ln σ between them
/// (and extrapolated along the end segments), and s(t) = 1/√(1 + σ(t)²), so s = √ᾱ_t at integers.
///
/// `samplingSigmas(stepCount: T)` equals `schedule.samplingSigmas` exactly; the derivatives are those of the
/// piecewise-linear ln σ (one-sided: the segment starting at ⌊t⌋).
public struct DiscreteVarianceProcess: DiffusionProcess {
    /// The wrapped schedule.
    public let schedule: DDPMSchedule
    /// σ_t, t = 0 … T−1 (ascending).
    private let sigmas: [Double]
    /// ln σ_t.
    private let logSigmas: [Double]

    /// Wraps `schedule`; throws `DiffusionError.invalidParameter` when it has fewer than 2 steps.
    public init(schedule: DDPMSchedule) throws {
        guard schedule.stepCount >= 2 else {
            throw DiffusionError.invalidParameter(
                name: "schedule.stepCount", value: "\(schedule.stepCount)",
                requirement: "a discrete process needs at least 2 steps to interpolate between")
        }
        self.schedule = schedule
        sigmas = schedule.veSigmas
        logSigmas = sigmas.map { log($0) }
    }

    /// [0, T − 1].
    public var timeRange: ClosedRange<Double> { 0...Double(schedule.stepCount - 1) }

    /// The segment k (0 … T−2) that t falls in, and the slope of ln σ on it.
    private func segment(_ t: Double) -> (index: Int, slope: Double) {
        let k = min(max(Int(t.rounded(.down)), 0), logSigmas.count - 2)
        return (k, logSigmas[k + 1] - logSigmas[k])
    }

    /// σ_t from the table at integer t (exactly), else the ln-σ interpolation.
    public func sigma(at t: Double) -> Double {
        if t == t.rounded(), t >= 0, t < Double(sigmas.count) { return sigmas[Int(t)] }
        let (k, slope) = segment(t)
        return exp(logSigmas[k] + (t - Double(k)) * slope)
    }
    /// dσ/dt = σ·d ln σ/dt.
    public func sigmaDerivative(at t: Double) -> Double { sigma(at: t) * segment(t).slope }
    public func scale(at t: Double) -> Double {
        let sigma = sigma(at: t)
        return 1 / (1 + sigma * sigma).squareRoot()
    }
    /// ds/dt = −σ·σ'/(1 + σ²)^{3/2}.
    public func scaleDerivative(at t: Double) -> Double {
        let sigma = sigma(at: t)
        return -sigma * sigmaDerivative(at: t) / pow(1 + sigma * sigma, 1.5)
    }
    /// The fractional index whose interpolated σ is `sigma` (binary search over the table).
    public func time(atSigma sigma: Double) -> Double {
        let target = log(sigma)
        var (low, high) = (0, logSigmas.count - 2)
        while low < high {
            let middle = (low + high + 1) / 2
            if logSigmas[middle] <= target { low = middle } else { high = middle - 1 }
        }
        return Double(low) + (target - logSigmas[low]) / (logSigmas[low + 1] - logSigmas[low])
    }
    /// s·σ = σ/√(1 + σ²), √(1 − ᾱ_t) at integers.
    public func marginalStd(at t: Double) -> Double {
        let sigma = sigma(at: t)
        return sigma / (1 + sigma * sigma).squareRoot()
    }
}
