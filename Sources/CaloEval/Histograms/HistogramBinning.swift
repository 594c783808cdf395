import CaloData

/// The official binning of every separation-power histogram (spec/calochallenge.md §4.5), for one
/// dataset convention and readout threshold.
public struct HistogramBinning: Sendable, Equatable, Codable {
    /// Which of evaluate.py's per-dataset rules apply.
    public enum Convention: String, Sendable, Codable {
        /// Dataset 1 photons: per-energy E_tot/E_inc in lin(0.9, 1.1, 21) from 4096 MeV on.
        case dataset1Photons = "1-photons"
        /// Dataset 1 pions.
        case dataset1Pions = "1-pions"
        /// Datasets 2 and 3 (the `arg.dataset in ['2', '3']` branches).
        case datasets2And3 = "2-3"

        var isDataset1: Bool { self != .datasets2And3 }
    }

    public var convention: Convention
    /// The readout threshold; the lower edge of the E_layer and voxel-energy histograms.
    public var threshold: ReadoutThreshold
    /// evaluate.py's `--dataset` value (`1-photons`, `1-pions`, `2`, `3`), or the geometry's name for
    /// other geometries; names the `histogram_chi2_<ds>.txt` file.
    public var datasetCode: String

    /// The incident-energy slices of dataset 1: [2^k, 2^(k+1)) MeV for k = 8…22
    /// (`2**np.linspace(8, 23, 16)` in evaluate_plotting_helper.py).
    public static let dataset1SliceEnergies: [Double] = (8...22).map { Double(1 << $0) }

    public init(convention: Convention, threshold: ReadoutThreshold, datasetCode: String) {
        self.convention = convention
        self.threshold = threshold
        self.datasetCode = datasetCode
    }

    /// The binning evaluate.py uses for `geometry`. The four official geometries are recognised by
    /// their layers; any other geometry follows dataset 1's rules when its particle is `photon` or
    /// `pion` and datasets 2/3's otherwise, with its name as dataset code.
    public init(geometry: Geometry, threshold: ReadoutThreshold) {
        switch geometry.layers {
        case Geometry.ds1Photons.layers: self.init(convention: .dataset1Photons, threshold: threshold, datasetCode: "1-photons")
        case Geometry.ds1Pions.layers: self.init(convention: .dataset1Pions, threshold: threshold, datasetCode: "1-pions")
        case Geometry.ds2.layers: self.init(convention: .datasets2And3, threshold: threshold, datasetCode: "2")
        case Geometry.ds3.layers: self.init(convention: .datasets2And3, threshold: threshold, datasetCode: "3")
        default:
            let convention: Convention =
                switch geometry.particle {
                case "photon": .dataset1Photons
                case "pion": .dataset1Pions
                default: .datasets2And3
                }
            self.init(convention: convention, threshold: threshold, datasetCode: geometry.name)
        }
    }

    /// Every observable, in the order evaluate.py writes them to `histogram_chi2_<ds>.txt` (E_tot/E_inc,
    /// E_layer per relevant layer, EC η, EC φ, width η, width φ per angularly binned layer, the dataset-1
    /// energy slices, the voxel energies), followed by the three uncalled helpers (sparsity, EC r,
    /// width r per relevant layer).
    public func observables(for geometry: Geometry) -> [HistogramObservable] {
        let relevant = geometry.relevantLayers.map(\.id).sorted()
        let binned = geometry.relevantLayers.filter(\.isAngularlyBinned).map(\.id).sorted()
        var result = [HistogramObservable(.energyRatio)]
        result += relevant.map { HistogramObservable(.layerEnergy, layer: $0) }
        for quantity in [HistogramObservable.Quantity.etaCentre, .phiCentre, .etaWidth, .phiWidth] {
            result += binned.map { HistogramObservable(quantity, layer: $0) }
        }
        if convention.isDataset1 {
            result += Self.dataset1SliceEnergies.map { HistogramObservable(.energyRatioSlice, incidentEnergy: $0) }
        }
        result.append(HistogramObservable(.voxelEnergy))
        for quantity in [HistogramObservable.Quantity.sparsity, .rCentre, .rWidth] {
            result += relevant.map { HistogramObservable(quantity, layer: $0) }
        }
        return result
    }

    /// The edges of a histogram whose binning does not depend on data; nil for E_layer and voxel
    /// energies, whose upper edge is the reference maximum (see ``edges(for:referenceMaximum:)``).
    public func fixedEdges(for observable: HistogramObservable) -> [Double]? {
        let layer = observable.layer ?? -1
        let ds23 = convention == .datasets2And3
        switch observable.quantity {
        case .energyRatio:
            return BinEdges.linear(from: 0.5, to: 1.5, count: 101)
        case .energyRatioSlice:
            // Photons switch to the narrow binning from the fifth slice (4096 MeV) on: `if i > 3`.
            if convention == .dataset1Photons, (observable.incidentEnergy ?? 0) >= 4096 {
                return BinEdges.linear(from: 0.9, to: 1.1, count: 21)
            }
            return BinEdges.linear(from: 0.4, to: 1.4, count: 21)
        case .etaCentre, .phiCentre:
            let limit = ds23 ? 30.0 : [12, 13].contains(layer) ? 500 : 100
            return BinEdges.linear(from: -limit, to: limit, count: 101)
        case .etaWidth, .phiWidth:
            let limit = ds23 ? 30.0 : [12, 13].contains(layer) ? 400 : 100
            return BinEdges.linear(from: 0, to: limit, count: 101)
        case .sparsity:
            return BinEdges.linear(from: 0, to: 1, count: 21)
        case .rCentre:
            let limit = ds23 ? 42.0 : [12, 13, 14].contains(layer) ? 1500 : 500
            return BinEdges.linear(from: 0, to: limit, count: 101)
        case .rWidth:
            let limit = ds23 ? 20.0 : [12, 13, 14].contains(layer) ? 1500 : 500
            return BinEdges.linear(from: 0, to: limit, count: 101)
        case .layerEnergy, .voxelEnergy:
            return nil
        }
    }

    /// The edges of any observable. E_layer: log(threshold, maximum, 40); voxel energies:
    /// log(threshold, maximum, 50), where `referenceMaximum` is the reference's largest E_layer of that
    /// layer or largest voxel energy.
    ///
    /// - Throws: ``EvaluationError/undefinedHistogram(key:reason:)`` when a data-dependent binning has
    ///   no maximum, or the maximum is not above the threshold (evaluate.py fails there too: numpy
    ///   rejects decreasing bins).
    public func edges(for observable: HistogramObservable, referenceMaximum: Double?) throws -> [Double] {
        if let fixed = fixedEdges(for: observable) { return fixed }
        let count = observable.quantity == .voxelEnergy ? 50 : 40
        guard let maximum = referenceMaximum, maximum.isFinite else {
            throw EvaluationError.undefinedHistogram(
                key: observable.key, reason: "the reference has no values to take the upper edge from")
        }
        guard maximum > threshold.energy else {
            throw EvaluationError.undefinedHistogram(
                key: observable.key,
                reason:
                    "the reference maximum \(maximum) MeV is not above the threshold \(threshold.energy) MeV, so log(threshold, maximum, \(count)) has no bins"
            )
        }
        return BinEdges.logarithmic(from: threshold.energy, to: maximum, count: count)
    }
}
