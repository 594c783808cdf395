/// Rectified flow / conditional flow matching (Liu et al. 2022; Lipman et al. 2023): x_t = (1 − t)·x₀ + t·n,
/// so s(t) = 1 − t and σ(t) = t/(1 − t); the velocity dx_t/dt = n − x₀.
///
/// σ(1) is infinite, so the default time range stops at t = 0.999 (σ = 999) for sampling; training
/// (`FlowMatchingLoss`) draws t from [0, 1) and uses the finite marginal std s·σ = t.
public struct RectifiedFlowProcess: DiffusionProcess {
    /// [t_min, t_max] (default [0.001, 0.999]).
    public let timeRange: ClosedRange<Double>

    /// Throws `DiffusionError.invalidParameter` unless `timeRange` lies in (0, 1).
    public init(timeRange: ClosedRange<Double> = 1e-3...0.999) throws {
        self.timeRange = try validatedTimeRange(timeRange, within: Double.leastNormalMagnitude...(1 - Double.ulpOfOne))
    }

    private init(validTimeRange: ClosedRange<Double>) { timeRange = validTimeRange }

    /// Rectified flow over the default time range 0.001 … 0.999.
    public static var standard: RectifiedFlowProcess { RectifiedFlowProcess(validTimeRange: 1e-3...0.999) }

    public func scale(at t: Double) -> Double { 1 - t }
    public func scaleDerivative(at t: Double) -> Double { -1 }
    public func sigma(at t: Double) -> Double { t / (1 - t) }
    /// dσ/dt = 1/(1 − t)².
    public func sigmaDerivative(at t: Double) -> Double { 1 / ((1 - t) * (1 - t)) }
    /// t = σ/(1 + σ).
    public func time(atSigma sigma: Double) -> Double { sigma / (1 + sigma) }
    /// s·σ = t.
    public func marginalStd(at t: Double) -> Double { t }
    /// d(s·σ)/dt = 1.
    public func marginalStdDerivative(at t: Double) -> Double { 1 }
}
