import Foundation

/// A CaloChallenge calorimeter geometry: layers of radial × angular voxels, flattened radial
/// fastest, then angular, then layer (spec/calochallenge.md §1.2, §2).
public struct Geometry: Sendable, Equatable, Codable {
    /// One `<Layer>` of a binning XML. Empty layers (ds1) have a single radial edge and no voxels.
    public struct Layer: Sendable, Equatable, Codable {
        /// Layer id (ATLAS sampling number for ds1, 0…44 for ds2/ds3).
        public var id: Int
        /// Radial bin edges in mm, starting at 0.
        public var radialEdges: [Double]
        /// Number of equal angular bins covering 2π.
        public var angularBins: Int

        public init(id: Int, radialEdges: [Double], angularBins: Int) {
            self.id = id
            self.radialEdges = radialEdges
            self.angularBins = angularBins
        }

        public var radialBins: Int { Swift.max(radialEdges.count - 1, 0) }
        public var voxelCount: Int { radialBins * angularBins }
        /// Layers with voxels ("relevant layers" of the official code).
        public var isRelevant: Bool { radialBins > 0 }
        /// Layers with more than one angular bin get η/φ features.
        public var isAngularlyBinned: Bool { angularBins > 1 }

        /// Midpoints of consecutive radial edges (mm).
        public var radialCentres: [Double] {
            guard radialBins > 0 else { return [] }
            return (0..<radialBins).map { (radialEdges[$0] + radialEdges[$0 + 1]) / 2 }
        }

        /// Angular bin centres αⱼ = −π + (j + ½)·2π/N_α (spec §2.2; a single bin is centred at 0).
        public var angularCentres: [Double] {
            if angularBins == 1 { return [0] }
            // The official code takes midpoints of linspace(−π, π, N+1); this is the same value.
            let edges = (0...angularBins).map { -Double.pi + 2 * Double.pi * Double($0) / Double(angularBins) }
            return (0..<angularBins).map { (edges[$0] + edges[$0 + 1]) / 2 }
        }
    }

    /// Short name (`ds1-photons`, `ds1-pions`, `ds2`, `ds3`, or the XML file's name).
    public var name: String
    /// Particle name of the `<Bin>` element (`photon`, `pion`, `electron`).
    public var particle: String
    /// Every layer in XML order, empty ones included.
    public var layers: [Layer]

    public init(name: String, particle: String, layers: [Layer]) throws {
        guard !layers.isEmpty else { throw CaloDataError.invalidGeometry(source: name, reason: "no layers") }
        var ids = Set<Int>()
        for layer in layers {
            // Features are keyed by layer id, so an id may appear only once.
            guard ids.insert(layer.id).inserted else {
                throw CaloDataError.invalidGeometry(source: name, reason: "layer id \(layer.id) appears more than once; layer ids must be unique")
            }
            guard layer.angularBins >= 1 else {
                throw CaloDataError.invalidGeometry(source: name, reason: "layer \(layer.id) has n_bin_alpha \(layer.angularBins); it must be at least 1")
            }
            guard !layer.radialEdges.isEmpty, layer.radialEdges.allSatisfy(\.isFinite),
                zip(layer.radialEdges, layer.radialEdges.dropFirst()).allSatisfy({ $0 < $1 })
            else {
                throw CaloDataError.invalidGeometry(source: name, reason: "layer \(layer.id) r_edges \(layer.radialEdges) are not finite and strictly increasing")
            }
        }
        self.name = name
        self.particle = particle
        self.layers = layers
    }

    /// Cumulative voxel offsets (`bin_edges` of the official code): layer at XML position i owns
    /// flat indices `offsets[i] ..< offsets[i + 1]`. Count = layers + 1.
    public var offsets: [Int] {
        var result = [0]
        for layer in layers { result.append(result.last! + layer.voxelCount) }
        return result
    }

    /// Total voxels per event (368, 533, 6480, 40500 for the official datasets).
    public var voxelCount: Int { layers.reduce(0) { $0 + $1.voxelCount } }

    /// Layers that hold voxels, in XML order.
    public var relevantLayers: [Layer] { layers.filter(\.isRelevant) }

    /// Flat index of voxel (layer position, angular bin, radial bin).
    public func flatIndex(layer position: Int, angular alpha: Int, radial r: Int) -> Int {
        offsets[position] + alpha * layers[position].radialBins + r
    }

    /// `(layers, angularBins, radialBins)` when every layer has the same binning (ds2, ds3), so that a
    /// flat event reshapes to `[layers, α, r]` without transposition; nil for ds1.
    public var regularShape: (layers: Int, angular: Int, radial: Int)? {
        guard let first = layers.first, layers.allSatisfy({ $0.radialEdges == first.radialEdges && $0.angularBins == first.angularBins }),
            first.isRelevant
        else { return nil }
        return (layers.count, first.angularBins, first.radialBins)
    }

    /// Voxel-centre coordinates of one layer in flat order (α outer, r inner), spec §2.2:
    /// r (mm), α (rad), η = r·cos α, φ = r·sin α (mm).
    public func voxelCentres(layer position: Int) -> (r: [Double], alpha: [Double], eta: [Double], phi: [Double]) {
        let layer = layers[position]
        var r: [Double] = [], alpha: [Double] = [], eta: [Double] = [], phi: [Double] = []
        let radii = layer.radialCentres
        for a in layer.angularCentres {
            for radius in radii {
                r.append(radius)
                alpha.append(a)
                eta.append(radius * Foundation.cos(a))
                phi.append(radius * Foundation.sin(a))
            }
        }
        return (r, alpha, eta, phi)
    }
}
