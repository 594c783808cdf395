import Foundation
import Torch

/// Divides voxel energies by `maxDeposit · E_inc`: `E'_i = e_i / (f · E_inc)` (spec/models.md §A.2 step 3,
/// §B.1.1). With `f` = MAXDEP the result lies in [0, 1] for physical showers. Both energies share a
/// unit, so the MeV → GeV conversion of the references cancels and is not applied.
///
/// Exactly invertible: the inverse multiplies by the same factor.
public struct EnergyNormalization: ShowerTransform, Equatable {
    public static let kind = "energy-normalization"

    /// The factor `f` (MAXDEP) multiplying the incident energy.
    public var maxDeposit: Double

    public init(maxDeposit: Double) throws {
        guard maxDeposit > 0, maxDeposit.isFinite else {
            throw CaloDataError.invalidArgument("energy normalisation: maxDeposit must be a positive number, got \(maxDeposit)")
        }
        self.maxDeposit = maxDeposit
    }

    /// MAXDEP of CaloDiffusion and CaloScore for a built-in geometry: 3.1 for dataset 1 (photons and
    /// pions), 2 for datasets 2 and 3 (spec/models.md §A.2).
    public static func maxDeposit(for geometry: Geometry) throws -> Double {
        switch geometry.name {
        case "ds1-photons", "ds1-pions": return 3.1
        case "ds2", "ds3": return 2
        default:
            throw CaloDataError.invalidArgument(
                "no MAXDEP is known for geometry '\(geometry.name)'; pass maxDeposit explicitly (3.1 for dataset 1, 2 for datasets 2 and 3)"
            )
        }
    }

    /// The normalisation of CaloDiffusion and CaloScore for a built-in geometry.
    public init(for geometry: Geometry) throws {
        try self.init(maxDeposit: try Self.maxDeposit(for: geometry))
    }

    public var isInvertible: Bool { true }

    public func forward(showers: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let energy = try perEvent(incidentEnergies, like: showers, operation: "energy normalisation")
        let scale = try energy * maxDeposit
        return try showers / scale
    }

    public func inverse(_ transformed: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let energy = try perEvent(incidentEnergies, like: transformed, operation: "inverse energy normalisation")
        let scale = try energy * maxDeposit
        return try transformed * scale
    }

    public var statistics: [String: String] { ["maxDeposit": StatisticsWriter.double(maxDeposit)] }

    public init(statistics: [String: String]) throws {
        let reader = StatisticsReader(statistics, transform: Self.kind)
        try self.init(maxDeposit: try reader.double("maxDeposit"))
    }
}
