import Foundation

/// A JetNet physics distance (FPD or KPD) with its uncertainty, in the units of the normalised
/// features (spec/calochallenge.md §6). CaloChallenge tables quote both multiplied by 10³
/// (``valueTimes1000``, ``errorTimes1000``), as evaluate.py writes them to `fpd_kpd_<ds>.txt`.
public struct PhysicsDistance: Sendable, Equatable, Codable, CustomStringConvertible {
    /// FPD: the extrapolated intercept; KPD: the median over batches.
    public var value: Double
    /// FPD: the fit's standard error of the intercept; KPD: half the 16.275–83.725 % spread.
    public var error: Double

    public init(value: Double, error: Double) {
        self.value = value
        self.error = error
    }

    /// ``value`` × 10³, the number CaloChallenge reports.
    public var valueTimes1000: Double { value * 1e3 }
    /// ``error`` × 10³.
    public var errorTimes1000: Double { error * 1e3 }

    /// "value ± error" × 10³ with four decimals, as evaluate.py prints it.
    public var description: String {
        String(format: "%.4f ± %.4f (×10⁻³)", valueTimes1000, errorTimes1000)
    }
}
