import Foundation
import Torch

/// An affine rescaling `y = (x − shift) / scale`, either with fixed constants (CaloDiffusion's global
/// mean and standard deviation, spec/models.md §A.2 step 5) or fitted on data, globally or per feature
/// (CaloScore v2's per-voxel min–max and mean/std steps, §B.2.1).
///
/// Exactly invertible: `x = y · scale + shift`. A fitted scale of 0 (a feature that is constant on the
/// training data, such as an always-empty voxel) is stored as 1, so such a feature is shifted but not
/// scaled. CaloScore v2 maps 0/0 to 0 instead; on the training data both give 0, and only this choice
/// keeps the map invertible.
public struct Standardization: ShowerTransform, Equatable {
    public static let kind = "standardization"

    /// What ``fit(showers:incidentEnergies:)`` learns.
    public enum Statistic: String, Sendable, Equatable, CaseIterable {
        /// shift = mean, scale = standard deviation (population, as NumPy's `std`).
        case meanAndStandardDeviation = "mean-std"
        /// shift = minimum, scale = maximum − minimum (maps the data onto [0, 1]).
        case minimumAndRange = "min-range"
    }

    /// What fitting learns; nil for fixed constants, which fitting leaves alone.
    public private(set) var fitting: Statistic?
    /// Whether fitting learns one value per feature (every position after the batch axis) or one for all.
    public private(set) var isPerFeature: Bool
    /// Shape of the non-batch axes the statistics apply to; `[]` for global statistics.
    public private(set) var featureShape: [Int]
    /// Subtracted first; one value, or one per feature in row-major order. Empty until fitted.
    public private(set) var shift: [Double]
    /// Divided by next; same layout as ``shift``.
    public private(set) var scale: [Double]

    /// Fixed global constants.
    public init(shift: Double, scale: Double) throws {
        try self.init(shift: [shift], scale: [scale], featureShape: [])
    }

    /// Fixed constants; per feature when `featureShape` is not empty.
    public init(shift: [Double], scale: [Double], featureShape: [Int]) throws {
        let expected = featureShape.isEmpty ? 1 : featureShape.reduce(1, *)
        guard shift.count == expected, scale.count == expected else {
            throw CaloDataError.invalidArgument(
                "standardisation: feature shape \(featureShape) needs \(expected) shift and scale values, got \(shift.count) and \(scale.count)"
            )
        }
        guard scale.allSatisfy({ $0 != 0 && $0.isFinite }), shift.allSatisfy(\.isFinite) else {
            throw CaloDataError.invalidArgument("standardisation: shift and scale must be finite and every scale non-zero")
        }
        self.fitting = nil
        self.isPerFeature = !featureShape.isEmpty
        self.featureShape = featureShape
        self.shift = shift
        self.scale = scale
    }

    /// A transform to be fitted with ``fit(showers:incidentEnergies:)`` (or by ``TransformPipeline/fit(showers:incidentEnergies:)``).
    public init(fitting statistic: Statistic, perFeature: Bool) {
        self.fitting = statistic
        self.isPerFeature = perFeature
        self.featureShape = []
        self.shift = []
        self.scale = []
    }

    /// CaloDiffusion's constants for the logit of normalised voxels (spec/models.md §A.2 table; ds1 uses the
    /// original-shape ("orig-NN") values of the paper configs).
    public static func caloDiffusion(for geometry: Geometry) throws -> Standardization {
        switch geometry.name {
        case "ds1-photons": return try Standardization(shift: -9.9807, scale: 3.14168)
        case "ds1-pions": return try Standardization(shift: -11.7610, scale: 2.84317)
        case "ds2": return try Standardization(shift: -12.8564, scale: 1.9123)
        case "ds3": return try Standardization(shift: -13.4753, scale: 1.1070)
        default:
            throw CaloDataError.invalidArgument(
                "CaloDiffusion has no standardisation constants for geometry '\(geometry.name)'; fit them with Standardization(fitting:perFeature:)"
            )
        }
    }

    /// Whether the statistics are known (fixed or fitted).
    public var isFitted: Bool { !shift.isEmpty }

    public var isInvertible: Bool { true }

    public mutating func fit(showers: Tensor, incidentEnergies: Tensor) throws {
        guard let fitting else { return }
        guard showers.ndim >= 2, showers.dim(0) > 0 else {
            throw CaloDataError.wrongTensorShape(
                operation: "fit standardisation", expected: "[batch ≥ 1, features…]", actual: showers.shape)
        }
        let values = try showers.to(dtype: .float64, device: .cpu)
        let flat = try isPerFeature ? values.flattened(from: 1) : values.reshaped([-1, 1])
        let center: Tensor
        var spread: Tensor
        switch fitting {
        case .meanAndStandardDeviation:
            center = try flat.mean(dims: [0])
            spread = try flat.standardDeviation(dims: [0], correction: 0)
        case .minimumAndRange:
            center = try flat.amin(dims: [0])
            spread = try flat.amax(dims: [0]) - center
        }
        spread = try spread.maskedFill(try spread .== 0, 1)
        featureShape = isPerFeature ? Array(showers.shape.dropFirst()) : []
        shift = try center.toArray(Double.self)
        scale = try spread.toArray(Double.self)
    }

    public func forward(showers: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let (shiftTensor, scaleTensor) = try tensors(like: showers, operation: "standardisation")
        let centered = try showers - shiftTensor
        return try centered / scaleTensor
    }

    public func inverse(_ transformed: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let (shiftTensor, scaleTensor) = try tensors(like: transformed, operation: "inverse standardisation")
        let scaled = try transformed * scaleTensor
        return try scaled + shiftTensor
    }

    private func tensors(like x: Tensor, operation: String) throws -> (Tensor, Tensor) {
        guard isFitted else {
            throw CaloDataError.invalidArgument(
                "\(operation): the statistics are not fitted yet; call fit(showers:incidentEnergies:) or TransformPipeline.fit first"
            )
        }
        let shape: [Int]
        if featureShape.isEmpty {
            shape = []
        } else {
            guard Array(x.shape.dropFirst()) == featureShape else {
                throw CaloDataError.wrongTensorShape(
                    operation: operation, expected: "[batch] + \(featureShape) (the shape the statistics were fitted on)",
                    actual: x.shape)
            }
            shape = [1] + featureShape
        }
        return (try constant(shift, shape: shape, like: x), try constant(scale, shape: shape, like: x))
    }

    public var statistics: [String: String] {
        [
            "fitting": fitting?.rawValue ?? "none",
            "perFeature": isPerFeature ? "true" : "false",
            "featureShape": StatisticsWriter.ints(featureShape),
            "shift": StatisticsWriter.doubles(shift),
            "scale": StatisticsWriter.doubles(scale),
        ]
    }

    public init(statistics: [String: String]) throws {
        let reader = StatisticsReader(statistics, transform: Self.kind)
        let fittingText = try reader.string("fitting")
        if fittingText == "none" {
            fitting = nil
        } else if let statistic = Statistic(rawValue: fittingText) {
            fitting = statistic
        } else {
            throw CaloDataError.invalidStatistics(
                transform: Self.kind, key: "fitting", reason: "holds '\(fittingText)', not none, mean-std or min-range")
        }
        isPerFeature = try reader.bool("perFeature")
        featureShape = try reader.ints("featureShape")
        shift = try reader.doubles("shift")
        scale = try reader.doubles("scale")
        let expected = shift.isEmpty ? 0 : (featureShape.isEmpty ? 1 : featureShape.reduce(1, *))
        guard shift.count == expected, scale.count == expected else {
            throw CaloDataError.invalidStatistics(
                transform: Self.kind, key: "shift",
                reason: "has \(shift.count) values and scale \(scale.count) for feature shape \(featureShape)")
        }
    }
}
