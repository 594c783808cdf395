import CaloData

/// One input file of an evaluation and what was checked about it.
public struct EvaluationInput: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable {
        case reference, reference2, generated
    }

    public var role: Role
    /// Key of this file in the per-file score dictionaries (`reference`, `reference2`, or the generated
    /// file's name without extension, made unique).
    public var label: String
    /// Absolute path.
    public var path: String
    public var events: Int
    /// False when the file was left by an interrupted writer (CaloData's `complete` attribute).
    public var isComplete: Bool
    /// Voxels below zero before the threshold (the threshold sets them to 0, as evaluate.py does).
    public var negativeVoxels: Int?
    /// Comparison of the incident energies with the reference's (absent for the reference).
    public var incidentEnergies: IncidentEnergyCheck?

    enum CodingKeys: String, CodingKey {
        case role, label, path, events
        case isComplete = "complete"
        case negativeVoxels = "negative_voxels"
        case incidentEnergies = "incident_energies"
    }
}

/// Whether a file's incident energies match the reference's (spec/calochallenge.md §8.13: submissions
/// must reproduce the reference E_inc distribution, ideally value for value).
public struct IncidentEnergyCheck: Sendable, Equatable, Codable {
    /// Same number of events and the same sorted values (to 1e-6 relative, for float32 storage).
    public var identical: Bool
    /// Two-sample Kolmogorov–Smirnov distance between the two E_inc samples.
    public var ksDistance: Double
    /// The KS critical distance at significance 0.001: 1.949·sqrt((n + m)/(n·m)).
    public var ksCritical: Double

    /// The distributions agree: identical, or KS distance within the critical value.
    public var agrees: Bool { identical || ksDistance <= ksCritical }

    enum CodingKeys: String, CodingKey {
        case identical, agrees
        case ksDistance = "ks_distance"
        case ksCritical = "ks_critical_0_001"
    }

    public init(identical: Bool, ksDistance: Double, ksCritical: Double) {
        self.identical = identical
        self.ksDistance = ksDistance
        self.ksCritical = ksCritical
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        identical = try container.decode(Bool.self, forKey: .identical)
        ksDistance = try container.decode(Double.self, forKey: .ksDistance)
        ksCritical = try container.decode(Double.self, forKey: .ksCritical)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(identical, forKey: .identical)
        try container.encode(agrees, forKey: .agrees)
        try container.encode(ksDistance, forKey: .ksDistance)
        try container.encode(ksCritical, forKey: .ksCritical)
    }

    /// Compares `energies` with `reference` (both MeV). NaN values are left out (the reader's value
    /// check reports them): a NaN compares false with everything, and the walk below would never advance past it.
    public init(energies: [Double], reference: [Double]) {
        let a = energies.filter { !$0.isNaN }.sorted(), b = reference.filter { !$0.isNaN }.sorted()
        identical = a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= 1e-6 * Swift.abs($1) }
        // KS distance: largest gap between the two empirical CDFs, evaluated at every sample value.
        var i = 0, j = 0, distance = 0.0
        while i < a.count, j < b.count {
            let x = Swift.min(a[i], b[j])
            while i < a.count, a[i] <= x { i += 1 }
            while j < b.count, b[j] <= x { j += 1 }
            distance = Swift.max(distance, Swift.abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
        }
        ksDistance = a.isEmpty || b.isEmpty ? 1 : distance
        let n = Double(a.count), m = Double(b.count)
        ksCritical = n > 0 && m > 0 ? 1.949 * ((n + m) / (n * m)).squareRoot() : 0
    }
}

/// What an evaluation gathers from one file in a single pass: its high-level features (CaloData) and
/// the voxel-level statistics some metrics need.
public struct FileStatistics: Sendable {
    public var input: EvaluationInput
    /// Official high-level features after the readout threshold.
    public var features: HighLevelFeatures
    /// The largest voxel energy after the threshold (MeV); 0 for an empty file.
    public var maximumVoxelEnergy: Double
    /// Voxel energies on the reference's voxel-energy edges (`hist`).
    public var voxelEnergies: Histogram?
    /// Energy per event at each voxel radius (`w1`).
    public var radialProfile: RadialProfile?
    /// A seeded uniform sample of the voxel energies above the threshold (`w1`).
    public var cellEnergies: ReservoirSample?
    /// Mean shower, per-layer feature moments and binned response (figures).
    public var showerStatistics: ShowerStatistics?

    public init(
        input: EvaluationInput, features: HighLevelFeatures, maximumVoxelEnergy: Double,
        voxelEnergies: Histogram? = nil, radialProfile: RadialProfile? = nil, cellEnergies: ReservoirSample? = nil,
        showerStatistics: ShowerStatistics? = nil
    ) {
        self.input = input
        self.features = features
        self.maximumVoxelEnergy = maximumVoxelEnergy
        self.voxelEnergies = voxelEnergies
        self.radialProfile = radialProfile
        self.cellEnergies = cellEnergies
        self.showerStatistics = showerStatistics
    }
}

/// Voxel-level statistics a metric family needs gathered while files are read.
public struct ScanNeeds: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The voxel-energy histogram on the reference's edges (costs a second pass over the reference).
    public static let voxelEnergyHistogram = ScanNeeds(rawValue: 1 << 0)
    /// ``RadialProfile``.
    public static let radialProfile = ScanNeeds(rawValue: 1 << 1)
    /// A ``ReservoirSample`` of voxel energies.
    public static let cellEnergies = ScanNeeds(rawValue: 1 << 2)
    /// ``ShowerStatistics`` for the figures.
    public static let showerStatistics = ScanNeeds(rawValue: 1 << 3)
}
