import Foundation

/// The variance-exploding SDE of Song et al. (2021) as CaloScore implements it (spec §B.1.2):
/// s(t) = 1, σ(t) = σ_min·(σ_max/σ_min)^t (the code's marginal std, not √(σ(t)² − σ(0)²) of the paper's Table I).
public struct VarianceExplodingProcess: DiffusionProcess {
    /// σ(0) (CaloScore 0.01).
    public let sigmaMin: Double
    /// σ(1) (CaloScore 50).
    public let sigmaMax: Double
    /// [t_min, t_max] (default CaloScore's [1e-5, 1]).
    public let timeRange: ClosedRange<Double>

    /// Throws `DiffusionError.invalidParameter` unless 0 < σ_min < σ_max and `timeRange` lies in [0, 1].
    public init(sigmaMin: Double = 0.01, sigmaMax: Double = 50, timeRange: ClosedRange<Double> = 1e-5...1) throws {
        guard sigmaMin > 0, sigmaMax > sigmaMin, sigmaMax.isFinite else {
            throw DiffusionError.invalidParameter(
                name: "sigmaMin/sigmaMax", value: "\(sigmaMin)/\(sigmaMax)", requirement: "need 0 < σ_min < σ_max < ∞")
        }
        self.sigmaMin = sigmaMin
        self.sigmaMax = sigmaMax
        self.timeRange = try validatedTimeRange(timeRange, within: 0...1)
    }

    private var logRatio: Double { log(sigmaMax / sigmaMin) }

    public func scale(at t: Double) -> Double { 1 }
    public func scaleDerivative(at t: Double) -> Double { 0 }
    public func sigma(at t: Double) -> Double { sigmaMin * exp(t * logRatio) }
    /// dσ/dt = σ·ln(σ_max/σ_min).
    public func sigmaDerivative(at t: Double) -> Double { sigma(at: t) * logRatio }
    /// t = ln(σ/σ_min)/ln(σ_max/σ_min).
    public func time(atSigma sigma: Double) -> Double { log(sigma / sigmaMin) / logRatio }
}

/// `range` if it is non-empty, finite and inside `domain`; otherwise `DiffusionError.invalidParameter`.
func validatedTimeRange(_ range: ClosedRange<Double>, within domain: ClosedRange<Double>) throws -> ClosedRange<Double> {
    guard range.lowerBound < range.upperBound, domain.contains(range.lowerBound), domain.contains(range.upperBound) else {
        throw DiffusionError.invalidParameter(
            name: "timeRange", value: "\(range)", requirement: "need t_min < t_max inside \(domain)")
    }
    return range
}
