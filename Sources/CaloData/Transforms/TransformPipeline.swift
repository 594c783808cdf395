import Foundation
import Torch

/// An ordered list of ``ShowerTransform``s plus an optional condition transform for the incident energy
/// (STYLE.md §7). ``forward(showers:incidentEnergies:)`` applies the steps in order; ``inverse(_:incidentEnergies:)``
/// applies their inverses in reverse order. Every step sees the original incident energies.
///
/// ``metadata`` flattens the whole pipeline into string pairs (`preprocessing.count`,
/// `preprocessing.0.kind`, `preprocessing.0.<statistic>`, …, `preprocessing.condition.<statistic>`) for the
/// `__metadata__` of a checkpoint; ``init(metadata:prefix:)`` restores an identical pipeline.
public struct TransformPipeline {
    /// The steps, applied in this order by ``forward(showers:incidentEnergies:)``.
    public var transforms: [any ShowerTransform]
    /// The condition transform of the incident energy, if the model uses one.
    public var condition: IncidentEnergyScaling?

    public init(_ transforms: [any ShowerTransform], condition: IncidentEnergyScaling? = nil) {
        self.transforms = transforms
        self.condition = condition
    }

    /// CaloDiffusion's preprocessing (spec/models.md §A.2): divide by MAXDEP · E_inc, logit with δ = 1e-6,
    /// standardise with the paper's constants; log-scaled incident energy as the condition. The showers stay
    /// flat `[batch, voxels]`; reshaping to `(1, 45, α, r)` belongs to the model.
    public static func caloDiffusion(for geometry: Geometry) throws -> TransformPipeline {
        TransformPipeline(
            [
                try EnergyNormalization(for: geometry),
                try LogitTransform(delta: 1e-6),
                try Standardization.caloDiffusion(for: geometry),
            ],
            condition: try IncidentEnergyScaling.caloDiffusion(for: geometry))
    }

    /// Whether every step is exactly invertible.
    public var isInvertible: Bool { transforms.allSatisfy(\.isInvertible) }

    /// Applies every step in order.
    public func forward(showers: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        var x = showers
        for transform in transforms {
            x = try transform.forward(showers: x, incidentEnergies: incidentEnergies)
        }
        return x
    }

    /// Applies the inverse of every step, last step first.
    public func inverse(_ transformed: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        var x = transformed
        for transform in transforms.reversed() {
            x = try transform.inverse(x, incidentEnergies: incidentEnergies)
        }
        return x
    }

    /// The network condition for incident energies (MeV); the energies themselves when there is no
    /// ``condition`` transform.
    public func conditioning(incidentEnergies: Tensor) throws -> Tensor {
        guard let condition else { return incidentEnergies }
        return try condition.forward(incidentEnergies: incidentEnergies)
    }

    /// Fits every step on `showers` (MeV), each on the output of the steps before it.
    public mutating func fit(showers: Tensor, incidentEnergies: Tensor) throws {
        var x = showers
        for index in transforms.indices {
            try transforms[index].fit(showers: x, incidentEnergies: incidentEnergies)
            if index < transforms.count - 1 {
                x = try transforms[index].forward(showers: x, incidentEnergies: incidentEnergies)
            }
        }
    }

    // MARK: metadata

    /// Every transform type that ``init(metadata:prefix:)`` can restore.
    public static var transformTypes: [any ShowerTransform.Type] {
        [
            EnergyNormalization.self, LogitTransform.self, Standardization.self, LayerEnergyNormalization.self,
            CartesianRemap.self, GLaMMapping.self, PointCloudConversion.self,
        ]
    }

    /// The pipeline as flat string pairs under `prefix` (see the type's documentation).
    public func metadata(prefix: String = "preprocessing") -> [String: String] {
        var result = ["\(prefix).count": String(transforms.count)]
        for (index, transform) in transforms.enumerated() {
            result["\(prefix).\(index).kind"] = type(of: transform).kind
            for (key, value) in transform.statistics { result["\(prefix).\(index).\(key)"] = value }
        }
        if let condition {
            for (key, value) in condition.statistics { result["\(prefix).condition.\(key)"] = value }
        }
        return result
    }

    /// Restores a pipeline written by ``metadata(prefix:)``; other keys in `metadata` are ignored.
    public init(metadata: [String: String], prefix: String = "preprocessing") throws {
        guard let countText = metadata["\(prefix).count"], let count = Int(countText), count >= 0 else {
            throw CaloDataError.invalidStatistics(
                transform: "pipeline", key: "\(prefix).count", reason: "is missing or not a count")
        }
        func values(under keyPrefix: String) -> [String: String] {
            var result: [String: String] = [:]
            for (key, value) in metadata where key.hasPrefix(keyPrefix) { result[String(key.dropFirst(keyPrefix.count))] = value }
            return result
        }
        var transforms: [any ShowerTransform] = []
        for index in 0..<count {
            let kindKey = "\(prefix).\(index).kind"
            guard let kind = metadata[kindKey] else {
                throw CaloDataError.invalidStatistics(transform: "pipeline", key: kindKey, reason: "is missing")
            }
            guard let type = Self.transformTypes.first(where: { $0.kind == kind }) else {
                let known = Self.transformTypes.map { $0.kind }.joined(separator: ", ")
                throw CaloDataError.invalidStatistics(
                    transform: "pipeline", key: kindKey, reason: "names '\(kind)', which is none of \(known)")
            }
            var statistics = values(under: "\(prefix).\(index).")
            statistics["kind"] = nil
            transforms.append(try type.init(statistics: statistics))
        }
        let conditionValues = values(under: "\(prefix).condition.")
        self.transforms = transforms
        self.condition = conditionValues.isEmpty ? nil : try IncidentEnergyScaling(statistics: conditionValues)
    }
}
