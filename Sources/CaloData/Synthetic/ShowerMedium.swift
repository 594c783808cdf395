/// The effective homogeneous medium of a sampling calorimeter: one repeating cell of passive and
/// active slabs reduced to the quantities of the Grindhammer–Peters parametrisation:
/// Z_eff, X₀,eff, R_M,eff, E_c,eff, the sampling frequency F_s = X₀,eff/d and the e/mip ratio ê.
public struct ShowerMedium: Sendable, Equatable, Codable {
    /// One slab of the repeating sampling cell.
    public struct Slab: Sendable, Equatable, Codable {
        public var material: ShowerMaterial
        /// Thickness in mm.
        public var thickness: Double
        /// Whether the slab is read out (active) or passive.
        public var isActive: Bool

        public init(_ material: ShowerMaterial, thickness: Double, isActive: Bool) {
            self.material = material
            self.thickness = thickness
            self.isActive = isActive
        }
    }

    /// Scale energy E_s = m_e c² √(4π/α) ≈ 21.2 MeV of the Molière radius.
    public static let scaleEnergy = 21.2

    /// The slabs of one sampling cell, front to back.
    public let cell: [Slab]
    /// Thickness of one cell d in mm.
    public let cellThickness: Double
    /// Mass-weighted mean atomic number.
    public let effectiveZ: Double
    /// X₀,eff in mm: 1/X₀ = Σ (dᵢ/d)/X₀ᵢ.
    public let radiationLength: Double
    /// R_M,eff in mm: 1/R_M = Σ (dᵢ/d)/R_M,ᵢ.
    public let moliereRadius: Double
    /// E_c,eff = E_s·X₀,eff/R_M,eff in MeV.
    public let criticalEnergy: Double
    /// Sampling frequency F_s = X₀,eff/d (GP 1993, sampling calorimeters).
    public let samplingFrequency: Double
    /// ê = 1/(1 + 0.007·(Z_passive − Z_active)) (GP 1993, sampling calorimeters).
    public let eOverMip: Double

    /// Reduces a sampling cell; it needs at least one active and one passive slab, all thicker than 0.
    public init(cell: [Slab]) throws {
        guard cell.contains(where: \.isActive), cell.contains(where: { !$0.isActive }),
            cell.allSatisfy({ $0.thickness > 0 })
        else {
            throw CaloDataError.invalidArgument(
                "a sampling cell needs at least one active and one passive slab, each thicker than 0 mm; got \(cell.map { "\($0.material.name) \($0.thickness) mm" })"
            )
        }
        self.cell = cell
        let d = cell.reduce(0) { $0 + $1.thickness }
        cellThickness = d
        radiationLength = 1 / cell.reduce(0) { $0 + $1.thickness / d / $1.material.radiationLength }
        moliereRadius = 1 / cell.reduce(0) { $0 + $1.thickness / d / $1.material.moliereRadius }
        criticalEnergy = Self.scaleEnergy * radiationLength / moliereRadius
        func massWeightedZ(_ slabs: [Slab]) -> Double {
            let mass = slabs.reduce(0) { $0 + $1.thickness * $1.material.density }
            return slabs.reduce(0) { $0 + $1.thickness * $1.material.density * $1.material.atomicNumber } / mass
        }
        effectiveZ = massWeightedZ(cell)
        samplingFrequency = radiationLength / d
        let zPassive = massWeightedZ(cell.filter { !$0.isActive })
        let zActive = massWeightedZ(cell.filter(\.isActive))
        eOverMip = 1 / (1 + 0.007 * (zPassive - zActive))
    }
}
