import Foundation
import Torch

/// The fixed part of CaloDiffusion's geometry latent mapping (GLaM, spec/models.md §A.11, §A.3): area-overlap
/// matrices from each layer's radial bins to one regular radial binning, their pseudo-inverses, and the
/// encode/decode between flat showers and a regular `[layers, angularBins, R']` grid.
///
/// The regular binning is the union of every relevant layer's radial edges (31 edges / 30 bins for ds1
/// photons, 24 / 23 for pions), so every regular ring lies inside exactly one ring of each layer (or outside
/// the layer). For layer l with edges r_j, the encoder matrix `C_l` (`R' × r_l`) holds
/// `C_l[k, j] = (r_{k+1}² − r_k²) / (r_{j+1}² − r_j²)` when regular bin k lies in bin j and 0 otherwise: the
/// share of bin j's area (and, for an even deposit, of its energy) that falls in regular bin k. The decoder
/// matrix `D_l` is the Moore–Penrose pseudo-inverse of `C_l`. A learned GLaM layer starts from these
/// (the model adds N(0, (1e-5)²) noise, §A.11); this type holds no noise and learns nothing.
///
/// Encoding applies `C_l` to the radial axis of each `(angle, radius)` layer image; layers with one
/// angular bin are replicated over ``angularBins`` and divided by it, layers with ``angularBins`` bins are
/// used as they are (any other count is rejected). Decoding applies `D_l` and sums single-angle layers over
/// the angular axis.
///
/// Exactly invertible as `decode ∘ encode` (``inverse(_:incidentEnergies:)`` after
/// ``forward(showers:incidentEnergies:)``): every `C_l` has full column rank, so `D_l C_l = I`. The grid
/// space is larger than the shower space, so `encode ∘ decode` is only a projection.
public struct GLaMMapping: ShowerTransform, Equatable {
    public static let kind = "glam"

    public let geometry: Geometry
    /// Edges of the regular radial binning (mm), increasing, from 0.
    public let regularEdges: [Double]
    /// Angular bins of the regular grid (the largest angular binning of the geometry's layers).
    public let angularBins: Int

    /// The mapping for `geometry` onto the union of its layers' radial edges.
    public init(geometry: Geometry) throws {
        let relevant = geometry.relevantLayers
        guard !relevant.isEmpty else {
            throw CaloDataError.invalidGeometry(source: geometry.name, reason: "GLaM needs at least one layer with voxels")
        }
        let union = Set(relevant.flatMap(\.radialEdges)).sorted()
        let angular = relevant.map(\.angularBins).max() ?? 1
        for layer in relevant where layer.angularBins != 1 && layer.angularBins != angular {
            throw CaloDataError.invalidGeometry(
                source: geometry.name,
                reason:
                    "GLaM replicates single-angle layers onto \(angular) angular bins, but layer \(layer.id) has \(layer.angularBins)"
            )
        }
        self.geometry = geometry
        self.regularEdges = union
        self.angularBins = angular
    }

    /// Number of regular radial bins R'.
    public var regularBinCount: Int { regularEdges.count - 1 }

    /// Shape of the encoded grid without the batch axis: `[layers, angularBins, R']`.
    public var gridShape: [Int] { [geometry.relevantLayers.count, angularBins, regularBinCount] }

    /// Overlap areas (mm², full rings) between the regular radial bins (rows) and the radial bins of
    /// relevant layer `index` (columns): `π (min(outer)² − max(inner)²)` where the rings overlap, else 0.
    /// For one angular sector of width Δα multiply by Δα / 2π; the ratios below do not change.
    public func overlapAreas(layer index: Int) -> [[Double]] {
        squaredRadiusOverlaps(layer: index).map { row in row.map { Double.pi * $0 } }
    }

    /// Ring areas (mm²) of the radial bins of relevant layer `index`.
    public func binAreas(layer index: Int) -> [Double] {
        Self.squaredRadiusWidths(geometry.relevantLayers[index].radialEdges).map { Double.pi * $0 }
    }

    /// Ring areas (mm²) of the regular radial bins.
    public var regularBinAreas: [Double] { Self.squaredRadiusWidths(regularEdges).map { Double.pi * $0 } }

    /// The encoder matrix `C_l` (`R' × r_l`) of relevant layer `index`:
    /// `(r_{k+1}² − r_k²) / (r_{j+1}² − r_j²)` for regular bin k inside bin j, so every column sums to 1.
    public func encoderMatrix(layer index: Int) -> [[Double]] {
        let widths = Self.squaredRadiusWidths(geometry.relevantLayers[index].radialEdges)
        return squaredRadiusOverlaps(layer: index).map { row in zip(row, widths).map { $0 / $1 } }
    }

    /// `min(outer)² − max(inner)²` for every (regular bin, layer bin) pair that overlaps, else 0.
    private func squaredRadiusOverlaps(layer index: Int) -> [[Double]] {
        let edges = geometry.relevantLayers[index].radialEdges
        return (0..<regularBinCount).map { k in
            (0..<(edges.count - 1)).map { j in
                let inner = Swift.max(regularEdges[k], edges[j])
                let outer = Swift.min(regularEdges[k + 1], edges[j + 1])
                return outer > inner ? outer * outer - inner * inner : 0
            }
        }
    }

    private static func squaredRadiusWidths(_ edges: [Double]) -> [Double] {
        zip(edges, edges.dropFirst()).map { (inner: Double, outer: Double) -> Double in outer * outer - inner * inner }
    }

    /// The decoder matrix `D_l = C_l⁺` (`r_l × R'`) of relevant layer `index`. The columns of `C_l` have
    /// disjoint supports (each regular bin lies in one bin of the layer), so `C_lᵀ C_l` is diagonal and
    /// `C_l⁺ = (C_lᵀ C_l)⁻¹ C_lᵀ`: row j is column j of `C_l` divided by its squared norm.
    public func decoderMatrix(layer index: Int) -> [[Double]] {
        let c = encoderMatrix(layer: index)
        let columns = c.first?.count ?? 0
        return (0..<columns).map { j in
            let squaredNorm = c.reduce(0) { $0 + $1[j] * $1[j] }
            return c.map { $0[j] / squaredNorm }
        }
    }

    /// Always true: `D_l C_l = I` for every layer; see the type's documentation.
    public var isInvertible: Bool { true }

    /// Encodes flat showers `[batch, voxels]` into the regular grid `[batch, layers, angularBins, R']`.
    public func forward(showers: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        try geometry.checkShowers(showers, operation: "GLaM encode")
        let batch = showers.dim(0)
        let offsets = geometry.offsets
        var images: [Tensor] = []
        for (index, position) in geometry.relevantLayerPositions.enumerated() {
            let layer = geometry.layers[position]
            let slice = try showers.narrowed(dim: 1, start: offsets[position], length: layer.voxelCount)
            let image = try slice.reshaped([batch, layer.angularBins, layer.radialBins])
            let c = try matrix(encoderMatrix(layer: index), like: showers)  // R' × r_l
            var encoded = try image.matmul(try c.transposed(0, 1))  // [batch, a_l, R']
            if layer.angularBins == 1 && angularBins > 1 {
                encoded = try encoded.expanded([batch, angularBins, regularBinCount]) / Double(angularBins)
            }
            images.append(encoded)
        }
        return try Tensor.stack(images, dim: 1)
    }

    /// Decodes a grid `[batch, layers, angularBins, R']` back to flat showers `[batch, voxels]`.
    public func inverse(_ transformed: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        guard transformed.ndim == 4, Array(transformed.shape.dropFirst()) == gridShape else {
            throw CaloDataError.wrongTensorShape(
                operation: "GLaM decode", expected: "[batch] + \(gridShape)", actual: transformed.shape)
        }
        let batch = transformed.dim(0)
        var pieces: [Tensor] = []
        for (index, position) in geometry.relevantLayerPositions.enumerated() {
            let layer = geometry.layers[position]
            let d = try matrix(decoderMatrix(layer: index), like: transformed)  // r_l × R'
            var decoded = try transformed.selecting(dim: 1, index: index).matmul(try d.transposed(0, 1))  // [batch, A, r_l]
            if layer.angularBins == 1 && angularBins > 1 {
                decoded = try decoded.sum(dims: [1], keepDim: true)
            }
            pieces.append(try decoded.reshaped([batch, layer.voxelCount]))
        }
        return try Tensor.cat(pieces, dim: 1)
    }

    private func matrix(_ rows: [[Double]], like x: Tensor) throws -> Tensor {
        try constant(rows.flatMap { $0 }, shape: [rows.count, rows.first?.count ?? 0], like: x)
    }

    public var statistics: [String: String] { StatisticsWriter.geometry(geometry) }

    public init(statistics: [String: String]) throws {
        let reader = StatisticsReader(statistics, transform: Self.kind)
        try self.init(geometry: try reader.geometry())
    }
}
