import Foundation

/// The noise levels of Karras et al. (2022) eq. 5: σ_i = (σ_max^{1/ρ} + i/(n−1)·(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ
/// for i = 0 … n−1, then 0 — dense near σ_min for large ρ. Pure values, no tensors.
public struct KarrasSchedule: Sendable, Equatable {
    /// The smallest non-zero noise level (EDM: 0.002).
    public let sigmaMin: Double
    /// The first noise level (EDM: 80).
    public let sigmaMax: Double
    /// The warping exponent (EDM: 7).
    public let rho: Double

    /// Throws `DiffusionError.invalidParameter` unless 0 < σ_min < σ_max and ρ > 0.
    public init(sigmaMin: Double = 0.002, sigmaMax: Double = 80, rho: Double = 7) throws {
        guard sigmaMin > 0, sigmaMax > sigmaMin, rho > 0, sigmaMax.isFinite else {
            throw DiffusionError.invalidParameter(
                name: "Karras schedule", value: "σ_min = \(sigmaMin), σ_max = \(sigmaMax), ρ = \(rho)",
                requirement: "need 0 < σ_min < σ_max < ∞ and ρ > 0")
        }
        self.sigmaMin = sigmaMin
        self.sigmaMax = sigmaMax
        self.rho = rho
    }

    /// `stepCount` + 1 descending values: exactly σ_max, …, exactly σ_min, 0 (one step gives [σ_max, 0]).
    ///
    /// Throws `DiffusionError.invalidParameter` for `stepCount` < 1.
    public func sigmas(stepCount: Int) throws -> [Double] {
        guard stepCount >= 1 else {
            throw DiffusionError.invalidParameter(
                name: "stepCount", value: "\(stepCount)", requirement: "sampling needs at least 1 step")
        }
        guard stepCount > 1 else { return [sigmaMax, 0] }
        let (first, last) = (pow(sigmaMax, 1 / rho), pow(sigmaMin, 1 / rho))
        var levels = (0..<stepCount).map { i in pow(first + Double(i) / Double(stepCount - 1) * (last - first), rho) }
        // Pin the ends: (σ^{1/ρ})^ρ can miss σ by an ulp.
        (levels[0], levels[stepCount - 1]) = (sigmaMax, sigmaMin)
        return levels + [0]
    }
}
