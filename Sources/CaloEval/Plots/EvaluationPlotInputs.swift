/// The inputs of the `EvaluationPlots` builders: plain numbers with a label, one sample each.

/// One sample's histogram (densities per bin) or per-bin profile (mean energies).
public struct HistogramSeries: Sendable, Equatable {
    /// Legend or panel label ("Geant4", a model name).
    public var label: String
    /// One value per bin.
    public var values: [Double]
    /// In-range entries the densities were made from; for the reference this draws the ±1σ
    /// statistical band (1/√n per bin) in the ratio panel.
    public var entryCount: Int?
    /// Separation power against the reference (spec §4.6), shown in the legend.
    public var separationPower: Double?

    public init(label: String, values: [Double], entryCount: Int? = nil, separationPower: Double? = nil) {
        self.label = label
        self.values = values
        self.entryCount = entryCount
        self.separationPower = separationPower
    }
}

/// One sample's values with error bars: per layer (shower centre or width) or per bin (the binned
/// energy response).
public struct PointSeries: Sendable, Equatable {
    /// Legend or panel label ("Geant4", a model name).
    public var label: String
    /// One value per relevant layer or bin.
    public var values: [Double]
    /// Half-lengths of the error bars (standard deviation or standard error), or nil.
    public var errors: [Double]?

    public init(label: String, values: [Double], errors: [Double]? = nil) {
        self.label = label
        self.values = values
        self.errors = errors
    }
}

/// One sample's events as (incident energy, deposited energy) pairs, in MeV.
public struct ResponseSample: Sendable, Equatable {
    /// Legend or panel label ("Geant4", a model name).
    public var label: String
    /// E_inc per event, MeV.
    public var incidentEnergies: [Double]
    /// Total deposited energy per event, MeV (same count).
    public var depositedEnergies: [Double]

    public init(label: String, incidentEnergies: [Double], depositedEnergies: [Double]) {
        self.label = label
        self.incidentEnergies = incidentEnergies
        self.depositedEnergies = depositedEnergies
    }
}

/// One sample's mean energy per voxel of one layer, flat order angular outer, radial inner (MeV).
public struct ImageSeries: Sendable, Equatable {
    /// Legend or panel label ("Geant4", a model name).
    public var label: String
    /// One value per voxel of the layer.
    public var values: [Double]

    public init(label: String, values: [Double]) {
        self.label = label
        self.values = values
    }
}

/// One layer of a shower-overview figure: its binning and the values of its voxels.
public struct ShowerLayerImage: Sendable, Equatable {
    /// Layer id (ATLAS sampling number for ds1, 0…44 for ds2/ds3).
    public var id: Int
    /// Radial edges in mm, starting at 0.
    public var radialEdges: [Double]
    /// Number of equal angular bins covering 2π.
    public var angularBins: Int
    /// `angularBins × (radialEdges.count − 1)` values, angular outer, radial inner.
    public var values: [Double]

    public init(id: Int, radialEdges: [Double], angularBins: Int, values: [Double]) {
        self.id = id
        self.radialEdges = radialEdges
        self.angularBins = angularBins
        self.values = values
    }
}
