import Foundation

/// CaloScore v2's continuous cosine log-SNR schedule (spec §B.2.2): with b = atan(e^{−λ_max/2}),
/// a = atan(e^{−λ_min/2}) − b and φ = a·t + b, logsnr(t) = −2 ln tan φ, α_t = √sigmoid(logsnr) = cos φ and
/// σ_t = √sigmoid(−logsnr) = sin φ. So s(t) = cos φ and σ(t) = tan φ; t = (atan σ − b)/a.
public struct CosineProcess: DiffusionProcess {
    /// logsnr at t = 0 (CaloScore v2: 20).
    public let maxLogSNR: Double
    /// logsnr at t = 1 (CaloScore v2: −20).
    public let minLogSNR: Double
    /// [t_min, t_max] (default [0, 1]).
    public let timeRange: ClosedRange<Double>

    /// Throws `DiffusionError.invalidParameter` unless `minLogSNR` < `maxLogSNR` and `timeRange` lies in [0, 1].
    public init(maxLogSNR: Double = 20, minLogSNR: Double = -20, timeRange: ClosedRange<Double> = 0...1) throws {
        guard minLogSNR < maxLogSNR, minLogSNR.isFinite, maxLogSNR.isFinite else {
            throw DiffusionError.invalidParameter(
                name: "minLogSNR/maxLogSNR", value: "\(minLogSNR)/\(maxLogSNR)", requirement: "need finite min < max")
        }
        self.init(validMaxLogSNR: maxLogSNR, minLogSNR: minLogSNR, timeRange: try validatedTimeRange(timeRange, within: 0...1))
    }

    private init(validMaxLogSNR: Double, minLogSNR: Double, timeRange: ClosedRange<Double>) {
        maxLogSNR = validMaxLogSNR
        self.minLogSNR = minLogSNR
        self.timeRange = timeRange
    }

    /// CaloScore v2's schedule: logsnr from 20 at t = 0 to −20 at t = 1 (spec §B.2.2).
    public static var caloScoreV2: CosineProcess { CosineProcess(validMaxLogSNR: 20, minLogSNR: -20, timeRange: 0...1) }

    /// b = atan(e^{−λ_max/2}).
    private var offset: Double { atan(exp(-0.5 * maxLogSNR)) }
    /// a = atan(e^{−λ_min/2}) − b.
    private var slope: Double { atan(exp(-0.5 * minLogSNR)) - offset }

    /// logsnr(t) = −2 ln tan(a·t + b).
    public func logSNR(at t: Double) -> Double { -2 * log(tan(slope * t + offset)) }

    public func scale(at t: Double) -> Double { cos(slope * t + offset) }
    /// ds/dt = −a·sin φ.
    public func scaleDerivative(at t: Double) -> Double { -slope * sin(slope * t + offset) }
    public func sigma(at t: Double) -> Double { tan(slope * t + offset) }
    /// dσ/dt = a/cos²φ.
    public func sigmaDerivative(at t: Double) -> Double {
        let c = cos(slope * t + offset)
        return slope / (c * c)
    }
    public func time(atSigma sigma: Double) -> Double { (atan(sigma) - offset) / slope }
    /// s·σ = sin φ.
    public func marginalStd(at t: Double) -> Double { sin(slope * t + offset) }
    /// d(s·σ)/dt = a·cos φ.
    public func marginalStdDerivative(at t: Double) -> Double { slope * cos(slope * t + offset) }
}
