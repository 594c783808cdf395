import CaloData

/// The shower observables of the CaloClouds II W1 scores (Buhmann et al., "CaloClouds II", §4.2 and
/// App. A; spec/models.md §E.2), carried over to CaloChallenge voxel showers:
///
/// | key | CaloClouds II | here |
/// |---|---|---|
/// | `N_hits` | cells above half a MIP | voxels that survive the readout threshold |
/// | `E_ratio` | E_vis / E_inc | E_tot / E_inc |
/// | `E_cell` | cell energies (50k hits) | energies of surviving voxels, a seeded uniform sample |
/// | `E_long_k` | energy in 10 groups of consecutive layers with equal hit counts | same, over the relevant layers |
/// | `E_radial_k` | energy in 10 rings with equal hit counts | same, rings of whole voxel radii |
/// | `m1_eta`, `m1_phi` | centre of gravity m₁ in X and Y | energy-weighted η and φ over the angularly binned layers (mm) |
/// | `m1_z` | centre of gravity in Z (depth) | energy-weighted layer id |
///
/// Layer groups and rings are fixed on the reference (``W1Grouping``) and reused for every file.
public struct W1Observables: Sendable, Equatable {
    /// Per-event observables in report order (`N_hits`, `E_ratio`, `E_long_1`…, `E_radial_1`…, `m1_*`).
    public var perEvent: [Column]
    /// Voxel energies above the threshold (MeV), a sample of them for large files.
    public var cellEnergies: [Double]

    /// One per-event observable.
    public struct Column: Sendable, Equatable {
        public var key: String
        public var values: [Double]

        public init(key: String, values: [Double]) {
            self.key = key
            self.values = values
        }
    }

    public init(perEvent: [Column], cellEnergies: [Double]) {
        self.perEvent = perEvent
        self.cellEnergies = cellEnergies
    }

    /// The observables of one file from its high-level features, its radial profile and its sampled
    /// cell energies, with the reference's `grouping`.
    public init(
        features: HighLevelFeatures, profile: RadialProfile, cellEnergies: [Double], geometry: Geometry, grouping: W1Grouping
    ) {
        let voxelsByID = Dictionary(uniqueKeysWithValues: geometry.relevantLayers.map { ($0.id, $0.voxelCount) })
        let layers = features.layers
        let events = features.eventCount
        var hits = [Double](repeating: 0, count: events)
        for layer in layers {
            let voxels = Double(voxelsByID[layer.id] ?? 0)
            for event in 0..<events { hits[event] += ((1 - layer.sparsity[event]) * voxels).rounded() }
        }
        var columns = [Column(key: "N_hits", values: hits), Column(key: "E_ratio", values: features.energyRatio)]
        for (number, group) in grouping.layerGroups.enumerated() {
            let members = layers.filter { group.contains($0.id) }
            let values = (0..<events).map { event in members.reduce(0.0) { $0 + $1.energy[event] } }
            columns.append(Column(key: "E_long_\(number + 1)", values: values))
        }
        for (number, ring) in grouping.ringRanges.enumerated() {
            columns.append(Column(key: "E_radial_\(number + 1)", values: profile.energy(radii: ring)))
        }
        let binned = layers.filter(\.isAngularlyBinned)
        if !binned.isEmpty {
            for (key, centre) in [("m1_eta", \LayerFeatures.etaCentre), ("m1_phi", \LayerFeatures.phiCentre)] {
                let values = (0..<events).map { event -> Double in
                    var moment = 0.0, energy = 0.0
                    for layer in binned {
                        moment += (layer[keyPath: centre]?[event] ?? 0) * layer.energy[event]
                        energy += layer.energy[event]
                    }
                    return moment / (energy + 1e-16)
                }
                columns.append(Column(key: key, values: values))
            }
        }
        let depth = (0..<events).map { event -> Double in
            var moment = 0.0, energy = 0.0
            for layer in layers {
                moment += Double(layer.id) * layer.energy[event]
                energy += layer.energy[event]
            }
            return moment / (energy + 1e-16)
        }
        columns.append(Column(key: "m1_z", values: depth))
        self.init(perEvent: columns, cellEnergies: cellEnergies)
    }

    /// A short description of an observable key, for reports.
    public static func label(of key: String, grouping: W1Grouping?) -> String {
        if key.hasPrefix("E_long_"), let grouping, let number = Int(key.dropFirst(7)), number >= 1,
            number <= grouping.layerGroups.count
        {
            let ids = grouping.layerGroups[number - 1]
            return "energy in layers \(ids.first ?? 0)–\(ids.last ?? 0) (MeV)"
        }
        if key.hasPrefix("E_radial_"), let grouping, let number = Int(key.dropFirst(9)), number >= 1,
            number <= grouping.ringRanges.count
        {
            let ring = grouping.ringRanges[number - 1]
            let (inner, outer) = (grouping.radii[ring.lowerBound], grouping.radii[ring.upperBound - 1])
            func mm(_ r: Double) -> String { String(format: "%.4g", r) }
            return inner == outer
                ? "energy at voxel radius \(mm(inner)) mm (MeV)" : "energy at voxel radii \(mm(inner))–\(mm(outer)) mm (MeV)"
        }
        switch key {
        case "N_hits": return "number of voxels above the threshold per shower"
        case "E_ratio": return "E_tot / E_inc (CaloClouds II: E_vis / E_inc)"
        case "E_cell": return "energy of voxels above the threshold (MeV)"
        case "E_long": return "longitudinal profile: mean over the layer groups E_long_k"
        case "E_radial": return "radial profile: mean over the rings E_radial_k"
        case "m1_eta": return "energy-weighted centre in η over angularly binned layers (mm)"
        case "m1_phi": return "energy-weighted centre in φ over angularly binned layers (mm)"
        case "m1_z": return "energy-weighted mean layer id (shower depth)"
        default: return key
        }
    }
}

/// The layer groups and radial rings of the E_long and E_radial observables, fixed on the reference
/// so that each holds about the same number of hits (CaloClouds II, App. A: ten quantiles of the hit
/// distribution; layer groups end on whole layers, rings on whole voxel radii).
public struct W1Grouping: Sendable, Equatable, Codable {
    /// Layer ids of each group, consecutive relevant layers in increasing id order.
    public var layerGroups: [[Int]]
    /// Distinct voxel radii (mm), increasing (``RadialProfile/radii``).
    public var radii: [Double]
    /// Index ranges into ``radii`` of each ring.
    public var ringRanges: [Range<Int>]

    public init(layerGroups: [[Int]], radii: [Double], ringRanges: [Range<Int>]) {
        self.layerGroups = layerGroups
        self.radii = radii
        self.ringRanges = ringRanges
    }

    /// Groups from the reference: hits per layer from its features, hits per radius from its profile,
    /// at most `maximumGroups` of each.
    public init(
        referenceFeatures features: HighLevelFeatures, referenceProfile profile: RadialProfile, geometry: Geometry,
        maximumGroups: Int = 10
    ) {
        let voxelsByID = Dictionary(uniqueKeysWithValues: geometry.relevantLayers.map { ($0.id, $0.voxelCount) })
        let layerHits = features.layers.map { layer in
            layer.sparsity.reduce(0) { $0 + Int(((1 - $1) * Double(voxelsByID[layer.id] ?? 0)).rounded()) }
        }
        let ids = features.layerIDs
        layerGroups = Self.equalStatisticsGroups(counts: layerHits, maximumGroups: maximumGroups).map { Array(ids[$0]) }
        radii = profile.radii
        ringRanges = Self.equalStatisticsGroups(counts: profile.hits, maximumGroups: maximumGroups)
    }

    /// Splits `counts.count` ordered bins into min(`maximumGroups`, bins) contiguous, non-empty groups
    /// whose count sums are as equal as the bins allow: group k ends at the first bin where the
    /// cumulative count reaches k/G of the total. With no counts at all, the bins are split evenly.
    public static func equalStatisticsGroups(counts: [Int], maximumGroups: Int) -> [Range<Int>] {
        let bins = counts.count
        let groups = Swift.min(Swift.max(maximumGroups, 1), bins)
        guard groups > 0 else { return [] }
        let total = counts.reduce(0, +)
        var cumulative: [Int] = []
        var running = 0
        for count in counts {
            running += count
            cumulative.append(running)
        }
        var result: [Range<Int>] = []
        var start = 0
        for k in 1..<groups {
            var end: Int
            if total == 0 {
                end = (k * bins) / groups - 1
            } else {
                // First bin whose cumulative count reaches k/G of the total (integer arithmetic).
                end = cumulative.firstIndex { $0 * groups >= total * k } ?? (bins - 1)
            }
            // Keep every group non-empty and leave at least one bin for each later group.
            end = Swift.min(Swift.max(end, start), bins - (groups - k) - 1)
            result.append(start..<(end + 1))
            start = end + 1
        }
        result.append(start..<bins)
        return result
    }
}
