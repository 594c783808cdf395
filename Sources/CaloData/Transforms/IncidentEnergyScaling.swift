import Foundation
import Torch

/// Maps incident energies (MeV) to the network's condition value (spec/models.md §A.2 step 6, §B.1.1,
/// §B.2.1): logarithmic `c = log10(E / E_min) / log10(E_max / E_min)` or linear
/// `c = (E − E_min) / (E_max − E_min)`, so that `[E_min, E_max]` maps onto [0, 1]. The references quote
/// E_min and E_max in GeV; here they are in MeV, which leaves `c` unchanged.
///
/// Exactly invertible (`E = E_min · (E_max / E_min)^c`, or `E_min + c · (E_max − E_min)`). This is a
/// condition transform, not a ``ShowerTransform``: it sees only incident energies.
public struct IncidentEnergyScaling: Equatable, Sendable {
    public static let kind = "incident-energy-scaling"

    public enum Mode: String, Sendable, Equatable, CaseIterable {
        case logarithmic = "log"
        case linear
    }

    public var mode: Mode
    /// E_min in MeV.
    public var minimum: Double
    /// E_max in MeV.
    public var maximum: Double

    public init(mode: Mode, minimum: Double, maximum: Double) throws {
        guard minimum > 0, maximum > minimum, maximum.isFinite else {
            throw CaloDataError.invalidArgument(
                "incident-energy scaling needs 0 < minimum < maximum (MeV), got minimum \(minimum) and maximum \(maximum)")
        }
        self.mode = mode
        self.minimum = minimum
        self.maximum = maximum
    }

    /// CaloDiffusion's condition (log scaling, spec/models.md §A.2 step 6): dataset 1 from 256 MeV to
    /// 4 194 304 MeV, datasets 2 and 3 from 1 GeV to 1 TeV. CaloScore v2 uses the same range for dataset 1
    /// but E_max = 100 GeV for datasets 2 and 3 (§B.2.1); build that one with ``init(mode:minimum:maximum:)``.
    public static func caloDiffusion(for geometry: Geometry) throws -> IncidentEnergyScaling {
        switch geometry.name {
        case "ds1-photons", "ds1-pions": return try IncidentEnergyScaling(mode: .logarithmic, minimum: 256, maximum: 4_194_304)
        case "ds2", "ds3": return try IncidentEnergyScaling(mode: .logarithmic, minimum: 1_000, maximum: 1_000_000)
        default:
            throw CaloDataError.invalidArgument(
                "no incident-energy range is known for geometry '\(geometry.name)'; give minimum and maximum in MeV")
        }
    }

    /// The condition `c` for incident energies in MeV (any shape, e.g. `[batch, 1]`).
    public func forward(incidentEnergies: Tensor) throws -> Tensor {
        switch mode {
        case .logarithmic:
            let ratio = try incidentEnergies / minimum
            let decades = try ratio.log10()
            return try decades / Foundation.log10(maximum / minimum)
        case .linear:
            let offset = try incidentEnergies - minimum
            return try offset / (maximum - minimum)
        }
    }

    /// Incident energies in MeV for conditions `c`.
    public func inverse(_ condition: Tensor) throws -> Tensor {
        switch mode {
        case .logarithmic:
            let exponent = try condition * Foundation.log(maximum / minimum)
            let ratio = try exp(exponent)
            return try ratio * minimum
        case .linear:
            let offset = try condition * (maximum - minimum)
            return try offset + minimum
        }
    }

    /// The configuration as strings that restore it exactly.
    public var statistics: [String: String] {
        ["mode": mode.rawValue, "minimum": StatisticsWriter.double(minimum), "maximum": StatisticsWriter.double(maximum)]
    }

    public init(statistics: [String: String]) throws {
        let reader = StatisticsReader(statistics, transform: Self.kind)
        let modeText = try reader.string("mode")
        guard let mode = Mode(rawValue: modeText) else {
            throw CaloDataError.invalidStatistics(
                transform: Self.kind, key: "mode", reason: "holds '\(modeText)', not log or linear")
        }
        try self.init(mode: mode, minimum: try reader.double("minimum"), maximum: try reader.double("maximum"))
    }
}
