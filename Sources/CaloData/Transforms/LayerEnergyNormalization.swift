import Foundation
import Torch

/// Splits a shower into layer-normalised voxels and the layer-energy ratio variables of CaloFlow,
/// CaloDREAM and CaloScore v2 (spec/models.md §B.2.1, §B.2.5, §D):
///
/// - `u₀ = Σ_l E_l / (f · E_inc)`; `u_i = E_{i−1} / Σ_{j ≥ i−1} E_j` for i = 1 … N−1 (0/0 → 0), where E_l are
///   the energies of the N relevant layers and `f` is ``depositScale`` (1 for CaloFlow/CaloDREAM, MAXDEP for
///   CaloScore v2). The last layer is the remainder and has no variable of its own.
/// - every voxel divided by its layer's energy (0/0 → 0), so each non-empty layer sums to 1.
///
/// ``forward(showers:incidentEnergies:)`` returns `[batch, voxels + N]`: the normalised voxels followed by
/// `u₀ … u_{N−1}` (``split(_:)`` separates them). The inverse rebuilds the layer energies,
/// `E_tot = u₀ f E_inc`, `R_i = E_tot Π_{k=1…i} (1 − u_k)`, `E_i = u_{i+1} R_i` (i < N−1), `E_{N−1} = R_{N−1}`,
/// renormalises every layer to sum 1 (as CaloScore v2 does for generated voxels) and multiplies by E_l.
///
/// Exactly invertible (up to rounding) for showers with non-negative voxels: given the u's the layer
/// energies are determined, and empty layers stay empty. The product form of `R_i` keeps every layer
/// energy non-negative; a layer far smaller than the energy behind it is recovered with an absolute error
/// of about machine epsilon times that energy.
public struct LayerEnergyNormalization: ShowerTransform, Equatable {
    public static let kind = "layer-energy-normalization"

    public let geometry: Geometry
    /// The factor `f` in `u₀ = E_tot / (f · E_inc)`.
    public let depositScale: Double

    public init(geometry: Geometry, depositScale: Double = 1) throws {
        guard depositScale > 0, depositScale.isFinite else {
            throw CaloDataError.invalidArgument("layer-energy normalisation: depositScale must be positive, got \(depositScale)")
        }
        self.geometry = geometry
        self.depositScale = depositScale
    }

    /// Number of relevant layers N (= number of ratio variables).
    public var layerCount: Int { geometry.relevantLayers.count }

    public var isInvertible: Bool { true }

    /// The ratio variables `[batch, N]` for layer energies `[batch, N]` (MeV) and incident energies (MeV).
    public func ratios(layerEnergies: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        try checkLayerTensor(layerEnergies, operation: "layer-energy ratios")
        let remaining = try layerEnergies.flipped([1]).cumsum(dim: 1).flipped([1])  // Σ_{j ≥ i} E_j
        let total = try remaining.narrowed(dim: 1, start: 0, length: 1)
        let energy = try perEvent(incidentEnergies, like: total, operation: "layer-energy ratios")
        let u0 = try total / (try energy * depositScale)
        guard layerCount > 1 else { return u0 }
        let head = try layerEnergies.narrowed(dim: 1, start: 0, length: layerCount - 1)
        let denominators = try remaining.narrowed(dim: 1, start: 0, length: layerCount - 1)
        return try Tensor.cat([u0, try safeDivide(head, denominators)], dim: 1)
    }

    /// Layer energies `[batch, N]` (MeV) from the ratio variables `[batch, N]` and incident energies (MeV).
    public func layerEnergies(ratios u: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        try checkLayerTensor(u, operation: "layer energies from ratios")
        let u0 = try u.narrowed(dim: 1, start: 0, length: 1)
        let energy = try perEvent(incidentEnergies, like: u0, operation: "layer energies from ratios")
        let total = try u0 * (try energy * depositScale)
        guard layerCount > 1 else { return total }
        let fractions = try u.narrowed(dim: 1, start: 1, length: layerCount - 1)  // u_1 … u_{N−1}
        let kept = try (1 - fractions).cumprod(dim: 1)  // Π_{k ≤ i} (1 − u_k), i = 1 … N−1
        let remaining = try total * (try Tensor.cat([try total.onesLike(), kept], dim: 1))  // R_0 … R_{N−1}
        let leading = try fractions * (try remaining.narrowed(dim: 1, start: 0, length: layerCount - 1))
        let last = try remaining.narrowed(dim: 1, start: layerCount - 1, length: 1)
        return try Tensor.cat([leading, last], dim: 1)
    }

    /// Separates a transformed tensor into normalised voxels `[batch, voxels]` and ratios `[batch, N]`.
    public func split(_ transformed: Tensor) throws -> (voxels: Tensor, ratios: Tensor) {
        let voxels = geometry.voxelCount
        guard transformed.ndim == 2, transformed.dim(1) == voxels + layerCount else {
            throw CaloDataError.wrongTensorShape(
                operation: "split layer-normalised showers",
                expected:
                    "[batch, \(voxels + layerCount)] (\(voxels) voxels + \(layerCount) ratios of geometry \(geometry.name))",
                actual: transformed.shape)
        }
        return (
            try transformed.narrowed(dim: 1, start: 0, length: voxels),
            try transformed.narrowed(dim: 1, start: voxels, length: layerCount)
        )
    }

    public func forward(showers: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        try geometry.checkShowers(showers, operation: "layer-energy normalisation")
        let layers = try geometry.layerEnergies(of: showers)
        let u = try ratios(layerEnergies: layers, incidentEnergies: incidentEnergies)
        let normalized = try safeDivide(showers, try geometry.expandingLayerValues(layers))
        return try Tensor.cat([normalized, u], dim: 1)
    }

    public func inverse(_ transformed: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let (normalized, u) = try split(transformed)
        let layers = try layerEnergies(ratios: u, incidentEnergies: incidentEnergies)
        let sums = try geometry.layerEnergies(of: normalized)
        let unitLayers = try safeDivide(normalized, try geometry.expandingLayerValues(sums))
        return try unitLayers * (try geometry.expandingLayerValues(layers))
    }

    private func checkLayerTensor(_ x: Tensor, operation: String) throws {
        guard x.ndim == 2, x.dim(1) == layerCount else {
            throw CaloDataError.wrongTensorShape(
                operation: operation, expected: "[batch, \(layerCount)] (relevant layers of geometry \(geometry.name))",
                actual: x.shape)
        }
    }

    public var statistics: [String: String] {
        StatisticsWriter.geometry(geometry).merging(["depositScale": StatisticsWriter.double(depositScale)]) { a, _ in a }
    }

    public init(statistics: [String: String]) throws {
        let reader = StatisticsReader(statistics, transform: Self.kind)
        try self.init(geometry: try reader.geometry(), depositScale: try reader.double("depositScale"))
    }
}
