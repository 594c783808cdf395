import Foundation

/// The sub-VP SDE of Song et al. (2021) (CaloScore's best, spec §B.1.2): the VP drift and scaling
/// ln s(t) = −¼t²(β_max − β_min) − ½t·β_min, with marginal std 1 − s² (a standard deviation, not a variance),
/// so σ(t) = (1 − s²)/s = 1/s − s.
public struct SubVariancePreservingProcess: DiffusionProcess {
    /// β_min (CaloScore 0.1).
    public let betaMin: Double
    /// β_max (CaloScore 20).
    public let betaMax: Double
    /// [t_min, t_max] (default CaloScore's [1e-5, 1]).
    public let timeRange: ClosedRange<Double>

    /// Throws `DiffusionError.invalidParameter` unless 0 < β_min ≤ β_max and `timeRange` lies in (0, 1].
    public init(betaMin: Double = 0.1, betaMax: Double = 20, timeRange: ClosedRange<Double> = 1e-5...1) throws {
        let (lower, upper) = try linearBetaBounds(betaMin: betaMin, betaMax: betaMax)
        self.betaMin = lower
        self.betaMax = upper
        self.timeRange = try validatedTimeRange(timeRange, within: Double.leastNormalMagnitude...1)
    }

    func logScale(at t: Double) -> Double { linearBetaLogScale(t, betaMin: betaMin, betaMax: betaMax) }

    public func scale(at t: Double) -> Double { exp(logScale(at: t)) }
    /// ds/dt = −½β(t)·s(t).
    public func scaleDerivative(at t: Double) -> Double { -0.5 * (betaMin + t * (betaMax - betaMin)) * scale(at: t) }
    /// σ = −expm1(2 ln s)/s.
    public func sigma(at t: Double) -> Double { -expm1(2 * logScale(at: t)) / scale(at: t) }
    /// dσ/dt = ½β(t)·(1/s + s).
    public func sigmaDerivative(at t: Double) -> Double {
        let s = scale(at: t)
        return 0.5 * (betaMin + t * (betaMax - betaMin)) * (1 / s + s)
    }
    /// s = 2/(σ + √(σ² + 4)) (the positive root of s² + σ·s − 1 = 0), then t from ln s.
    public func time(atSigma sigma: Double) -> Double {
        let s = 2 / (sigma + (sigma * sigma + 4).squareRoot())
        return linearBetaTime(logScale: log(s), betaMin: betaMin, betaMax: betaMax)
    }
    /// 1 − s² = −expm1(2 ln s).
    public func marginalStd(at t: Double) -> Double { -expm1(2 * logScale(at: t)) }
}
