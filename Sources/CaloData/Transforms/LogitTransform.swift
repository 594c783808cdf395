import Foundation
import Torch

/// The logit with a margin δ: `x = δ + (1 − 2δ)·E`, `u = ln(x / (1 − x))`; a non-finite result is set to 0
/// as the references' masked-array fill does (spec/models.md §A.2 step 4, §B.1.1). An empty voxel maps to
/// `logit(δ)` = −13.8155 for δ = 1e-6.
///
/// Invertible on its domain: for `E` in [0, 1] (what ``EnergyNormalization`` produces for physical
/// showers) the inverse `E = (sigmoid(u) − δ)/(1 − 2δ)` (§A.13) recovers `E` up to rounding. Values outside
/// [−δ/(1 − 2δ), 1 + δ/(1 − 2δ)] have no logit and come back as `E` of `u = 0`, i.e. 0.5. In float32 the
/// subtraction of δ leaves an absolute error of about 1e-13 on small energies.
public struct LogitTransform: ShowerTransform, Equatable {
    public static let kind = "logit"

    /// The margin δ (1e-6 in CaloDiffusion and CaloScore).
    public var delta: Double

    public init(delta: Double = 1e-6) throws {
        guard delta >= 0, delta < 0.5 else {
            throw CaloDataError.invalidArgument("logit: delta must lie in [0, 0.5), got \(delta)")
        }
        self.delta = delta
    }

    public var isInvertible: Bool { true }

    public func forward(showers: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let scaled = try showers * (1 - 2 * delta)
        let x = try scaled + delta
        let oneMinusX = try 1 - x
        let ratio = try x / oneMinusX
        let u = try log(ratio)
        let isFinite = try u.isFinite()
        return try u.maskedFill(isFinite.logicalNot(), 0)
    }

    public func inverse(_ transformed: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let x = try sigmoid(transformed)
        let shifted = try x - delta
        return try shifted / (1 - 2 * delta)
    }

    public var statistics: [String: String] { ["delta": StatisticsWriter.double(delta)] }

    public init(statistics: [String: String]) throws {
        let reader = StatisticsReader(statistics, transform: Self.kind)
        try self.init(delta: try reader.double("delta"))
    }
}
