/// The readout threshold of the official CaloChallenge evaluation (spec/calochallenge.md §4.4,
/// pitfall §8.5): every voxel whose energy is below ``energy`` reads 0, negative values included.
///
/// evaluate.py applies it to the submission and to the reference before any feature, histogram or
/// classifier input is computed: `np.where(shower < min_energy, 0, shower)`.
public struct ReadoutThreshold: Sendable, Hashable, Codable {
    /// Voxels strictly below this energy (MeV) are set to 0; voxels equal to it are kept.
    public var energy: Double

    /// A threshold of `energy` MeV.
    public init(energy: Double) {
        self.energy = energy
    }

    /// Dataset 1 (photons and pions): 1 MeV.
    public static let dataset1 = ReadoutThreshold(energy: 1.0)

    /// Datasets 2 and 3: 0.5 keV in the active silicon scaled by the sampling-fraction correction
    /// 1/0.033, i.e. 0.5e-3 / 0.033 MeV ≈ 15.15 keV.
    public static let datasets2And3 = ReadoutThreshold(energy: 0.5e-3 / 0.033)

    /// The official threshold of a built-in geometry, recognised by its layers (so a geometry read
    /// from an official binning XML file qualifies too).
    ///
    /// Throws ``CaloDataError/invalidArgument(_:)`` for any other geometry: there is no official
    /// value to fall back on, so the caller must choose one with ``init(energy:)``.
    public static func official(for geometry: Geometry) throws -> ReadoutThreshold {
        switch geometry.layers {
        case Geometry.ds1Photons.layers, Geometry.ds1Pions.layers: return .dataset1
        case Geometry.ds2.layers, Geometry.ds3.layers: return .datasets2And3
        default:
            throw CaloDataError.invalidArgument(
                "geometry '\(geometry.name)' has no official readout threshold (only ds1-photons, ds1-pions, ds2 and ds3 do); pass ReadoutThreshold(energy:) in MeV")
        }
    }

    /// Sets every value below the threshold to 0, in place; NaN stays NaN (as in numpy).
    ///
    /// The comparison is done in Float, against `Float(energy)`, because that is what evaluate.py
    /// does with a float32 file: numpy compares a float32 array with a Python float in float32.
    /// A voxel equal to `Float(energy)` is therefore kept even where `Float(energy) < energy`.
    public func apply(to showers: inout [Float]) {
        let cut = Float(energy)
        for i in showers.indices where showers[i] < cut { showers[i] = 0 }
    }

    /// Sets every value below the threshold to 0, in place (float64 data compare in float64).
    public func apply(to showers: inout [Double]) {
        for i in showers.indices where showers[i] < energy { showers[i] = 0 }
    }

    /// A copy of `showers` with every value below the threshold set to 0.
    public func applied(to showers: [Float]) -> [Float] {
        var result = showers
        apply(to: &result)
        return result
    }
}
