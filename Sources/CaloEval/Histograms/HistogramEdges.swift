import CaloData

/// The bin edges of every separation-power observable of a geometry, taken from the reference once
/// (spec/calochallenge.md §4.5): fixed binnings plus E_layer and voxel-energy binnings that end at the
/// reference maxima. Observables whose binning cannot be built keep the reason instead of edges.
public struct HistogramEdges: Sendable, Equatable, Codable {
    /// One observable and its edges, or why it has none.
    public struct Entry: Sendable, Equatable, Codable {
        public var observable: HistogramObservable
        public var edges: [Double]?
        public var undefinedReason: String?
    }

    public let binning: HistogramBinning
    /// Every observable in official order (``HistogramBinning/observables(for:)``).
    public let entries: [Entry]

    /// Edges from the reference's features and its largest voxel energy (after the threshold); with
    /// `maximumVoxelEnergy` nil the voxel-energy observable is left undefined.
    public init(
        binning: HistogramBinning, geometry: Geometry, referenceFeatures features: HighLevelFeatures, maximumVoxelEnergy: Double?
    ) {
        self.binning = binning
        entries = binning.observables(for: geometry).map { observable in
            let maximum: Double? =
                switch observable.quantity {
                case .voxelEnergy: maximumVoxelEnergy
                case .layerEnergy: features[layer: observable.layer ?? -1]?.energy.max()
                default: nil
                }
            do {
                return Entry(observable: observable, edges: try binning.edges(for: observable, referenceMaximum: maximum))
            } catch let EvaluationError.undefinedHistogram(_, reason) {
                return Entry(observable: observable, edges: nil, undefinedReason: reason)
            } catch {
                return Entry(observable: observable, edges: nil, undefinedReason: "\(error)")
            }
        }
    }

    /// Edges of the voxel-energy histogram, when defined.
    public var voxelEnergyEdges: [Double]? {
        entries.first { $0.observable.quantity == .voxelEnergy }?.edges
    }
}

/// The histograms of one file on a reference's edges: the summary statistics from which separation
/// powers are scored (features → statistics; ``ReferenceHistograms`` does statistics → score).
public struct HistogramSet: Sendable, Equatable, Codable {
    /// Histograms by observable key; observables with undefined edges are absent.
    public let histograms: [String: Histogram]

    /// Fills every defined histogram from `features`; the voxel-energy histogram, which is not an event
    /// feature, is passed in already filled on ``HistogramEdges/voxelEnergyEdges`` (nil leaves it out).
    public init(edges: HistogramEdges, features: HighLevelFeatures, voxelEnergies: Histogram?) throws {
        var histograms: [String: Histogram] = [:]
        for entry in edges.entries {
            guard let binEdges = entry.edges else { continue }
            if entry.observable.quantity == .voxelEnergy {
                guard let voxelEnergies else { continue }
                guard voxelEnergies.edges == binEdges else {
                    throw EvaluationError.invalidArgument(
                        "the voxel-energy histogram was filled on other edges than the reference's")
                }
                histograms[entry.observable.key] = voxelEnergies
            } else if let values = entry.observable.values(in: features) {
                histograms[entry.observable.key] = try Histogram(values, edges: binEdges)
            }
        }
        self.histograms = histograms
    }
}

/// The reference statistics of the separation-power metric, computed once and scored against any
/// number of generated files: the edges and the reference's own histograms.
public struct ReferenceHistograms: Sendable, Equatable, Codable {
    public let edges: HistogramEdges
    public let reference: HistogramSet

    public init(edges: HistogramEdges, reference: HistogramSet) {
        self.edges = edges
        self.reference = reference
    }

    /// One observable's separation power against the reference.
    public struct Score: Sendable, Equatable, Codable {
        public var observable: HistogramObservable
        /// S in [0, 1]; NaN when a histogram has no in-range entry (as in evaluate.py); nil when the
        /// observable is undefined or was not filled for one of the two files.
        public var value: Double?
        /// Number of bins, when defined.
        public var bins: Int?
        /// Why `value` is nil.
        public var note: String?
    }

    /// Separation powers of `generated` (histograms on ``edges``) against the reference, one per
    /// observable in official order.
    public func separationPowers(_ generated: HistogramSet) -> [Score] {
        edges.entries.map { entry in
            let observable = entry.observable
            guard let binEdges = entry.edges else {
                return Score(observable: observable, value: nil, bins: nil, note: entry.undefinedReason)
            }
            guard let reference = reference.histograms[observable.key], let candidate = generated.histograms[observable.key]
            else {
                return Score(observable: observable, value: nil, bins: binEdges.count - 1, note: "not filled")
            }
            let value = try? separationPower(reference, candidate)
            return Score(
                observable: observable, value: value, bins: binEdges.count - 1,
                note: value == nil ? "histograms on different edges" : nil)
        }
    }
}
