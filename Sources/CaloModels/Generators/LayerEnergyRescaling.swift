import CaloData
import Torch

/// The last step of the newest CaloDiffusion's generation (reference `ReverseNormCaloChall` with a 'layer'
/// SHOWERMAP, spec/models.md §A.15): negative voxels are set to 0, then every layer of a generated shower is
/// scaled so that its sum equals the layer model's energy E_l:
///
///     f_l = E_l / (S_l + 10⁻¹⁰·MAXDEP·E_inc),   f_l = 1 where E_l < τ or S_l < τ,   τ = 10⁻⁶·MAXDEP·E_inc,
///
/// with S_l the generated layer sum (the reference works in MAXDEP·E_inc units, where τ = 10⁻⁶ and the guard
/// is 10⁻¹⁰). A layer that either model leaves (nearly) empty keeps the shape model's energy.
public struct LayerEnergyRescaling: Sendable {
    /// The threshold τ and the guard of the division, in MAXDEP·E_inc units (the reference's `eps`, 1e-10).
    public static let threshold = 1e-6
    public static let guardTerm = 1e-10

    /// The geometry whose relevant layers are rescaled.
    public let geometry: Geometry
    /// MAXDEP of the geometry.
    public let maxDeposit: Double

    /// - Throws: `CaloDataError` for a geometry without a MAXDEP.
    public init(geometry: Geometry) throws {
        self.geometry = geometry
        maxDeposit = try EnergyNormalization.maxDeposit(for: geometry)
    }

    /// Showers `[B, V]` (MeV) with negative voxels set to 0 and each layer scaled to `layerEnergies` `[B, N]` (MeV)
    /// as above, for incident energies `[B, 1]` (MeV); in the showers' dtype.
    /// - Throws: ``ModelError/wrongLayerEnergyShape(input:expected:actual:)`` for other shapes.
    public func callAsFunction(_ showers: Tensor, layerEnergies: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let batch = showers.dim(0)
        let layers = geometry.relevantLayers.count
        guard layerEnergies.shape == [batch, layers] else {
            throw ModelError.wrongLayerEnergyShape(
                input: "layer energies", expected: "[\(batch), \(layers)]", actual: layerEnergies.shape)
        }
        guard incidentEnergies.shape == [batch, 1] else {
            throw ModelError.wrongLayerEnergyShape(
                input: "incident energies", expected: "[\(batch), 1]", actual: incidentEnergies.shape)
        }
        let positive = try showers.clamped(min: 0)
        let wide = try positive.to(dtype: .float64)
        let unit = try incidentEnergies.to(dtype: .float64, device: showers.device) * maxDeposit
        let targets = try layerEnergies.to(dtype: .float64, device: showers.device)
        let sums = try geometry.layerEnergies(of: wide)
        let tau = try unit * Self.threshold
        let factors = try targets / (sums + unit * Self.guardTerm)
        let kept = try (targets .< tau).logicalOr(sums .< tau)
        let applied = try `where`(kept, factors.onesLike(), factors)
        return try (wide * geometry.expandingLayerValues(applied)).to(dtype: showers.dtype)
    }
}
