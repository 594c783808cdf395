import Foundation

/// The continuous variance-preserving SDE with linear β(t) = β_min + t·(β_max − β_min) (Song et al. 2021;
/// CaloScore, spec §B.1.2): ln s(t) = −¼t²(β_max − β_min) − ½t·β_min, marginal std √(1 − s²),
/// so σ(t) = √(1/s² − 1).
///
/// Uses expm1 where CaloScore's float32 code switches to series at |ln s| ≤ 1e-3 (same values, no branch).
public struct VariancePreservingProcess: DiffusionProcess {
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

    /// ln s(t).
    func logScale(at t: Double) -> Double { linearBetaLogScale(t, betaMin: betaMin, betaMax: betaMax) }

    public func scale(at t: Double) -> Double { exp(logScale(at: t)) }
    /// ds/dt = −½β(t)·s(t).
    public func scaleDerivative(at t: Double) -> Double { -0.5 * (betaMin + t * (betaMax - betaMin)) * scale(at: t) }
    /// σ = √(e^{−2 ln s} − 1).
    public func sigma(at t: Double) -> Double { expm1(-2 * logScale(at: t)).squareRoot() }
    /// dσ/dt = β(t)/(2·s²·σ).
    public func sigmaDerivative(at t: Double) -> Double {
        let s = scale(at: t)
        return (betaMin + t * (betaMax - betaMin)) / (2 * s * s * sigma(at: t))
    }
    /// Solves ln s(t) = −½ln(1 + σ²) for t.
    public func time(atSigma sigma: Double) -> Double {
        linearBetaTime(logScale: -0.5 * log1p(sigma * sigma), betaMin: betaMin, betaMax: betaMax)
    }
    /// √(1 − s²) = √(−expm1(2 ln s)).
    public func marginalStd(at t: Double) -> Double { (-expm1(2 * logScale(at: t))).squareRoot() }
}

/// Validated (β_min, β_max) of a linear β schedule.
func linearBetaBounds(betaMin: Double, betaMax: Double) throws -> (Double, Double) {
    guard betaMin > 0, betaMax >= betaMin, betaMax.isFinite else {
        throw DiffusionError.invalidParameter(
            name: "betaMin/betaMax", value: "\(betaMin)/\(betaMax)", requirement: "need 0 < β_min ≤ β_max < ∞")
    }
    return (betaMin, betaMax)
}

/// ln s(t) = −¼t²(β_max − β_min) − ½t·β_min of the linear-β VP and sub-VP SDEs (spec §B.1.2).
func linearBetaLogScale(_ t: Double, betaMin: Double, betaMax: Double) -> Double {
    -0.25 * t * t * (betaMax - betaMin) - 0.5 * t * betaMin
}

/// The t ≥ 0 with ln s(t) = `logScale`: A·t² + B·t − C = 0 with A = ¼Δβ, B = ½β_min, C = −ln s,
/// as t = 2C/(B + √(B² + 4AC)) (stable, and valid for Δβ = 0).
func linearBetaTime(logScale: Double, betaMin: Double, betaMax: Double) -> Double {
    let (a, b, c) = (0.25 * (betaMax - betaMin), 0.5 * betaMin, -logScale)
    return 2 * c / (b + (b * b + 4 * a * c).squareRoot())
}
