import Foundation
import Torch

/// CaloScore v1's cylindrical → Cartesian remap (spec/models.md §B.1.5): every polar voxel of a layer is
/// added into one cell of an `n × n` grid, layer by layer. `[batch, voxels]` → `[batch, layers, n, n]`
/// (layers = relevant layers; cell `(i, j)` is x-bin i, y-bin j, as `cart_img[binx, biny]`).
///
/// The cell of radial bin r, angular bin a of a layer with `n_r` × `n_a` bins follows the reference
/// exactly, quirks included: `ρ = linspace(1e-5, 1, n_r)[r]`, `φ = linspace(1e-5, 1, n_a)[a]`,
/// `x = ρ cos 2πφ`, `y = ρ sin 2πφ`; the bin is the first of `linspace(−1, 1, n)` strictly greater than the
/// coordinate, or 0 when none is (so x = 1 wraps to bin 0). The paper remaps datasets 2 (n = 12) and
/// 3 (n = 32); dataset 1 was not remapped by CaloScore, and ``caloScore(for:)`` uses n = 12 for it.
///
/// Not invertible: the map is many-to-one (several voxels share a cell: the 144 voxels of a ds2 layer land in
/// 73 of the 144 cells) and some cells never receive a voxel. The forward map conserves each layer's
/// energy (up to rounding). ``inverse(_:incidentEnergies:)`` is the Moore–Penrose pseudo-inverse of the
/// 0/1 assignment matrix: a cell's energy is split evenly over the voxels that map to it, which conserves
/// the energy of every cell that has voxels and drops the energy of cells that have none. `inverse ∘
/// forward` is the identity only for showers in which voxels sharing a cell hold equal energies;
/// `forward ∘ inverse` is the identity on grids that are empty wherever no voxel lands.
public struct CartesianRemap: ShowerTransform, Equatable {
    public static let kind = "cartesian-remap"

    public let geometry: Geometry
    /// Cells per side of the Cartesian grid.
    public let gridSize: Int
    /// For every flat voxel, its cell in the flattened `[layers, n, n]` output.
    public let cellIndices: [Int]
    /// For every flat voxel, how many voxels share its cell.
    public let cellOccupancy: [Int]

    public init(geometry: Geometry, gridSize: Int) throws {
        guard gridSize >= 2 else {
            throw CaloDataError.invalidArgument("Cartesian remap: gridSize must be at least 2, got \(gridSize)")
        }
        self.geometry = geometry
        self.gridSize = gridSize
        var indices: [Int] = []
        for (position, layer) in geometry.relevantLayers.enumerated() {
            let cells = Self.layerCells(radialBins: layer.radialBins, angularBins: layer.angularBins, gridSize: gridSize)
            indices += cells.map { position * gridSize * gridSize + $0 }
        }
        var counts: [Int: Int] = [:]
        for index in indices { counts[index, default: 0] += 1 }
        self.cellIndices = indices
        self.cellOccupancy = indices.map { counts[$0]! }
    }

    /// The grid of CaloScore v1: 12 × 12 for dataset 2, 32 × 32 for dataset 3, and 12 × 12 for the layers of
    /// dataset 1 (not in the paper).
    public static func caloScore(for geometry: Geometry) throws -> CartesianRemap {
        switch geometry.name {
        case "ds1-photons", "ds1-pions", "ds2": return try CartesianRemap(geometry: geometry, gridSize: 12)
        case "ds3": return try CartesianRemap(geometry: geometry, gridSize: 32)
        default:
            throw CaloDataError.invalidArgument(
                "no CaloScore grid is known for geometry '\(geometry.name)'; pass gridSize explicitly")
        }
    }

    /// Cell `binx · n + biny` of every voxel of one layer, in flat order (angular outer, radial inner).
    static func layerCells(radialBins: Int, angularBins: Int, gridSize: Int) -> [Int] {
        let grid = linspace(-1, 1, gridSize)
        let radii = linspace(1e-5, 1, radialBins)
        let angles = linspace(1e-5, 1, angularBins)
        // argmax of (grid > v): the first grid point strictly above v, or 0 when there is none.
        func bin(_ v: Double) -> Int { grid.firstIndex { $0 > v } ?? 0 }
        var cells: [Int] = []
        for a in 0..<angularBins {
            for r in 0..<radialBins {
                let x = radii[r] * Foundation.cos(angles[a] * Double.pi * 2)
                let y = radii[r] * Foundation.sin(angles[a] * Double.pi * 2)
                cells.append(bin(x) * gridSize + bin(y))
            }
        }
        return cells
    }

    /// NumPy's `linspace(start, stop, count)` to the bit: `start + i·step`, the last value set to `stop`.
    static func linspace(_ start: Double, _ stop: Double, _ count: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = (stop - start) / Double(count - 1)
        var values = (0..<count).map { Double($0) * step + start }
        values[count - 1] = stop
        return values
    }

    /// Layers × cells per layer of the output.
    public var outputShape: [Int] { [geometry.relevantLayers.count, gridSize, gridSize] }

    /// Always false: the remap is many-to-one; see the type's documentation.
    public var isInvertible: Bool { false }

    public func forward(showers: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        try geometry.checkShowers(showers, operation: "Cartesian remap")
        let index = try Tensor(cellIndices.map(Int64.init)).to(device: showers.device)
        let cells = try Tensor.zeros([showers.dim(0), outputShape.reduce(1, *)], dtype: showers.dtype, device: showers.device)
        return try cells.indexAdd(dim: 1, index: index, source: showers).reshaped([showers.dim(0)] + outputShape)
    }

    public func inverse(_ transformed: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let cellCount = outputShape.reduce(1, *)
        guard transformed.ndim >= 2,
            Array(transformed.shape.dropFirst()) == outputShape || transformed.shape.dropFirst() == [cellCount]
        else {
            throw CaloDataError.wrongTensorShape(
                operation: "inverse Cartesian remap", expected: "[batch] + \(outputShape) or [batch, \(cellCount)]",
                actual: transformed.shape)
        }
        let flat = try transformed.reshaped([transformed.dim(0), cellCount])
        let index = try Tensor(cellIndices.map(Int64.init)).to(device: transformed.device)
        let shared = try flat.indexSelect(dim: 1, index: index)
        return try shared / (try constant(cellOccupancy.map(Double.init), shape: [1, cellIndices.count], like: transformed))
    }

    public var statistics: [String: String] {
        StatisticsWriter.geometry(geometry).merging(["gridSize": String(gridSize)]) { a, _ in a }
    }

    public init(statistics: [String: String]) throws {
        let reader = StatisticsReader(statistics, transform: Self.kind)
        try self.init(geometry: try reader.geometry(), gridSize: try reader.int("gridSize"))
    }
}
