/// The high-level features of one relevant calorimeter layer, one value per event
/// (spec/calochallenge.md §3). Lengths in mm, energies in MeV.
///
/// With `x_a` the coordinate of voxel a's centre (§2.2) and `E_a` its energy:
/// centre = Σ x_a E_a / (Σ E_a + 1e-16) and width = sqrt(max(Σ x_a² E_a / (Σ E_a + 1e-16) − centre², 0)).
/// An empty layer therefore has centre 0 and width 0, not NaN; NaN voxels propagate into every
/// feature of their layer, as in the official code.
public struct LayerFeatures: Sendable, Equatable {
    /// Layer id from the binning XML (the ATLAS sampling number for dataset 1).
    public let id: Int
    /// Whether the layer has more than one angular bin; only then are the η/φ features defined.
    public let isAngularlyBinned: Bool
    /// `E_layer`: the layer's energy, Σ_a E_a (MeV).
    public internal(set) var energy: [Double] = []
    /// `EC_r`: energy-weighted mean radius (mm).
    public internal(set) var rCentre: [Double] = []
    /// `Width_r`: energy-weighted standard deviation of the radius (mm).
    public internal(set) var rWidth: [Double] = []
    /// `Sparsity`: 1 − the fraction of the layer's voxels with E > 0.
    public internal(set) var sparsity: [Double] = []
    /// `EC_eta`: energy-weighted mean of η = r·cos α (mm); nil when the layer is not angularly binned.
    public internal(set) var etaCentre: [Double]?
    /// `EC_phi`: energy-weighted mean of φ = r·sin α (mm); nil when the layer is not angularly binned.
    public internal(set) var phiCentre: [Double]?
    /// `Width_eta`: energy-weighted standard deviation of η (mm); nil when not angularly binned.
    public internal(set) var etaWidth: [Double]?
    /// `Width_phi`: energy-weighted standard deviation of φ (mm); nil when not angularly binned.
    public internal(set) var phiWidth: [Double]?

    /// Empty feature arrays for a layer.
    public init(id: Int, isAngularlyBinned: Bool) {
        self.id = id
        self.isAngularlyBinned = isAngularlyBinned
        if isAngularlyBinned {
            etaCentre = []
            phiCentre = []
            etaWidth = []
            phiWidth = []
        }
    }

    /// Number of events.
    public var eventCount: Int { energy.count }

    mutating func reserveCapacity(_ count: Int) {
        energy.reserveCapacity(count)
        rCentre.reserveCapacity(count)
        rWidth.reserveCapacity(count)
        sparsity.reserveCapacity(count)
        etaCentre?.reserveCapacity(count)
        phiCentre?.reserveCapacity(count)
        etaWidth?.reserveCapacity(count)
        phiWidth?.reserveCapacity(count)
    }

    /// Appends the features of `other` (the same layer, later events).
    mutating func append(contentsOf other: LayerFeatures) {
        energy += other.energy
        rCentre += other.rCentre
        rWidth += other.rWidth
        sparsity += other.sparsity
        etaCentre?.append(contentsOf: other.etaCentre ?? [])
        phiCentre?.append(contentsOf: other.phiCentre ?? [])
        etaWidth?.append(contentsOf: other.etaWidth ?? [])
        phiWidth?.append(contentsOf: other.phiWidth ?? [])
    }
}
