import Foundation

/// One calorimeter layer drawn as a disc of annular sectors: radial bins from the layer's radial
/// edges, angular bins evenly covering 2π starting at α = −π (spec/calochallenge.md §2.2), one path
/// per voxel. α grows anticlockwise from the right (η = r·cos α to the right, φ = r·sin α up).
public struct PolarImage: Sendable, Equatable {
    /// How radii map to distance from the centre.
    public enum RadialScale: Sendable, Equatable {
        case linear
        /// log(1 + r / r₁), r₁ the first non-zero edge: stretches the core of ds1 layers, whose
        /// outer bins reach 2 m.
        case logarithmic
    }

    /// Radial edges in mm, starting at 0.
    public var radialEdges: [Double]
    /// Number of equal angular bins covering 2π.
    public var angularBins: Int
    /// Voxel values in flat order (angular outer, radial inner): `angularBins × (radialEdges.count − 1)`.
    public var values: [Double]
    /// Maps voxel values to colours.
    public var colorScale: ColorScale
    /// How radii map to distance from the centre.
    public var radialScale: RadialScale

    /// An image; `values.count` must equal the voxel count (a programmer error otherwise; it traps).
    public init(
        radialEdges: [Double], angularBins: Int, values: [Double], colorScale: ColorScale, radialScale: RadialScale = .linear
    ) {
        precondition(radialEdges.count >= 2 && angularBins >= 1, "a polar image needs at least one radial and one angular bin")
        precondition(
            values.count == (radialEdges.count - 1) * angularBins,
            "a polar image needs \((radialEdges.count - 1) * angularBins) values, got \(values.count)")
        self.radialEdges = radialEdges
        self.angularBins = angularBins
        self.values = values
        self.colorScale = colorScale
        self.radialScale = radialScale
    }

    /// Number of radial bins.
    public var radialBins: Int { radialEdges.count - 1 }

    /// Distance from the centre as a fraction of the outer radius (0…1).
    func scaledRadius(_ r: Double) -> Double {
        guard let outer = radialEdges.last, outer > 0 else { return 0 }
        switch radialScale {
        case .linear:
            return r / outer
        case .logarithmic:
            let first = radialEdges.first { $0 > 0 } ?? outer
            return Foundation.log1p(r / first) / Foundation.log1p(outer / first)
        }
    }
}
