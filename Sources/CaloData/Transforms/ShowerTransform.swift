import Foundation
import Torch

/// One step of shower preprocessing: maps showers (and the incident energies they are conditioned on)
/// into the space a network learns in, and back (STYLE.md §7: preprocessing is a list of invertible
/// transforms). Transforms are values; tensors are batch-first, float32 or float64, on any device, and
/// outputs keep the input's dtype and device.
///
/// Everything a transform learned or was configured with is exposed as ``statistics`` (strings that
/// restore the transform bit for bit through ``init(statistics:)``), so it can be stored in the
/// `__metadata__` of a checkpoint; ``TransformPipeline`` writes and reads whole lists.
public protocol ShowerTransform {
    /// Stable name written to metadata (`"logit"`, `"standardization"`, …).
    static var kind: String { get }

    /// Whether ``inverse(_:incidentEnergies:)`` undoes ``forward(showers:incidentEnergies:)`` exactly (up to
    /// floating-point rounding) for every valid input. Conforming types say why where it is false.
    var isInvertible: Bool { get }

    /// Applies the transform. `showers`: the output of the previous step (the first step sees voxel
    /// energies `[batch, voxels]` in MeV); `incidentEnergies`: `[batch, 1]` or `[batch]`, MeV.
    func forward(showers: Tensor, incidentEnergies: Tensor) throws -> Tensor

    /// Maps a transformed tensor back to the input space of ``forward(showers:incidentEnergies:)``.
    func inverse(_ transformed: Tensor, incidentEnergies: Tensor) throws -> Tensor

    /// The configuration and fitted values, as strings that round-trip exactly.
    var statistics: [String: String] { get }

    /// Restores a transform from ``statistics``; throws ``CaloDataError/invalidStatistics(transform:key:reason:)``.
    init(statistics: [String: String]) throws

    /// Learns statistics from data (the input of this step). The default does nothing.
    mutating func fit(showers: Tensor, incidentEnergies: Tensor) throws
}

extension ShowerTransform {
    public mutating func fit(showers: Tensor, incidentEnergies: Tensor) throws {}
}

// MARK: - helpers shared by the transforms

/// Reshapes per-event values (`[batch]` or `[batch, 1]`) to `[batch, 1, …, 1]` with the rank of `target`,
/// in `target`'s dtype and device, so that they broadcast over every non-batch axis.
func perEvent(_ values: Tensor, like target: Tensor, operation: String) throws -> Tensor {
    let shape = values.shape
    guard target.ndim >= 1, (shape.count == 1 || (shape.count == 2 && shape[1] == 1)), shape[0] == target.dim(0) else {
        throw CaloDataError.wrongTensorShape(
            operation: operation, expected: "incident energies [\(target.ndim >= 1 ? target.dim(0) : 0), 1] (one per event)",
            actual: shape)
    }
    let broadcastShape = [shape[0]] + Array(repeating: 1, count: target.ndim - 1)
    return try values.to(dtype: target.dtype, device: target.device).reshaped(broadcastShape)
}

/// Host values as a tensor of `like`'s dtype and device, with the given shape.
func constant(_ values: [Double], shape: [Int], like target: Tensor) throws -> Tensor {
    try Tensor(values, shape: shape).to(dtype: target.dtype, device: target.device)
}

/// `numerator / denominator` where `denominator` is non-zero, and 0 elsewhere (the `0/0 → 0` of the references).
func safeDivide(_ numerator: Tensor, _ denominator: Tensor) throws -> Tensor {
    let isZero = try denominator .== 0
    let safeDenominator = try denominator.maskedFill(isZero, 1)
    let quotient = try numerator / safeDenominator
    return try quotient.maskedFill(isZero, 0)
}

/// Reading and writing ``ShowerTransform/statistics`` values.
struct StatisticsReader {
    let transform: String
    let values: [String: String]

    init(_ values: [String: String], transform: String) {
        self.values = values
        self.transform = transform
    }

    func string(_ key: String) throws -> String {
        guard let value = values[key] else {
            throw CaloDataError.invalidStatistics(transform: transform, key: key, reason: "is missing")
        }
        return value
    }

    func double(_ key: String) throws -> Double {
        let text = try string(key)
        guard let value = Double(text) else {
            throw CaloDataError.invalidStatistics(transform: transform, key: key, reason: "holds '\(text)', not a number")
        }
        return value
    }

    func int(_ key: String) throws -> Int {
        let text = try string(key)
        guard let value = Int(text) else {
            throw CaloDataError.invalidStatistics(transform: transform, key: key, reason: "holds '\(text)', not an integer")
        }
        return value
    }

    func bool(_ key: String) throws -> Bool {
        switch try string(key) {
        case "true": return true
        case "false": return false
        case let text:
            throw CaloDataError.invalidStatistics(transform: transform, key: key, reason: "holds '\(text)', not true or false")
        }
    }

    func doubles(_ key: String) throws -> [Double] {
        let text = try string(key)
        if text.isEmpty { return [] }
        return try text.split(separator: ",").map {
            guard let value = Double($0) else {
                throw CaloDataError.invalidStatistics(transform: transform, key: key, reason: "holds '\($0)', not a number")
            }
            return value
        }
    }

    func ints(_ key: String) throws -> [Int] {
        let text = try string(key)
        if text.isEmpty { return [] }
        return try text.split(separator: ",").map {
            guard let value = Int($0) else {
                throw CaloDataError.invalidStatistics(transform: transform, key: key, reason: "holds '\($0)', not an integer")
            }
            return value
        }
    }

    /// A geometry written by ``StatisticsWriter/geometry(_:)``.
    func geometry() throws -> Geometry {
        if let json = values["geometryJSON"] {
            do {
                return try JSONDecoder().decode(Geometry.self, from: Data(json.utf8))
            } catch {
                throw CaloDataError.invalidStatistics(
                    transform: transform, key: "geometryJSON", reason: "does not decode (\(error))")
            }
        }
        let name = try string("geometry")
        do {
            return try Geometry.named(name)
        } catch {
            throw CaloDataError.invalidStatistics(
                transform: transform, key: "geometry", reason: "names '\(name)', which is not built in")
        }
    }
}

/// Formats statistics so that ``StatisticsReader`` reads back identical values (Swift's `description`
/// of a Double is the shortest text that round-trips).
enum StatisticsWriter {
    static func double(_ value: Double) -> String { "\(value)" }
    static func doubles(_ values: [Double]) -> String { values.map { "\($0)" }.joined(separator: ",") }
    static func ints(_ values: [Int]) -> String { values.map(String.init).joined(separator: ",") }

    /// A built-in geometry is written by name; any other one as JSON as well.
    static func geometry(_ geometry: Geometry) -> [String: String] {
        if let builtIn = try? Geometry.named(geometry.name), builtIn == geometry {
            return ["geometry": geometry.name]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = (try? encoder.encode(geometry)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return ["geometry": geometry.name, "geometryJSON": json]
    }
}
