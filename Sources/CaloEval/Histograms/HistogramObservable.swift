import CaloData

/// One histogrammed observable of the CaloChallenge evaluation (spec/calochallenge.md §3, §4.5):
/// what is histogrammed, for which layer or incident-energy slice, its stable key and its label in
/// the official `histogram_chi2_<ds>.txt`.
public struct HistogramObservable: Sendable, Hashable, Codable {
    /// The quantity histogrammed.
    public enum Quantity: String, Sendable, Hashable, Codable, CaseIterable {
        /// E_tot / E_inc of every event.
        case energyRatio = "E_ratio"
        /// E_tot / E_inc of the events with E ≤ E_inc < 2E (dataset 1 only).
        case energyRatioSlice = "E_ratio_slice"
        /// E_layer of one layer (MeV).
        case layerEnergy = "E_layer"
        /// Centre of energy in η of one angularly binned layer (mm).
        case etaCentre = "EC_eta"
        /// Centre of energy in φ of one angularly binned layer (mm).
        case phiCentre = "EC_phi"
        /// Width in η of one angularly binned layer (mm).
        case etaWidth = "Width_eta"
        /// Width in φ of one angularly binned layer (mm).
        case phiWidth = "Width_phi"
        /// Every voxel energy of every event, pooled (MeV).
        case voxelEnergy = "voxel_energy"
        /// Sparsity of one layer (helper defined but not called by evaluate.py).
        case sparsity = "Sparsity"
        /// Centre of energy in r of one layer (helper not called by evaluate.py).
        case rCentre = "EC_r"
        /// Width in r of one layer (helper not called by evaluate.py).
        case rWidth = "Width_r"
    }

    public var quantity: Quantity
    /// Layer id for per-layer quantities.
    public var layer: Int?
    /// Lower bound E (MeV) of the incident-energy slice [E, 2E) for ``Quantity/energyRatioSlice``.
    public var incidentEnergy: Double?

    public init(_ quantity: Quantity, layer: Int? = nil, incidentEnergy: Double? = nil) {
        self.quantity = quantity
        self.layer = layer
        self.incidentEnergy = incidentEnergy
    }

    /// Stable key used in metrics.json: `E_ratio`, `E_ratio_E256`, `E_layer_12`, `EC_eta_1`,
    /// `voxel_energy`, `Sparsity_0`, ….
    public var key: String {
        switch quantity {
        case .energyRatio, .voxelEnergy: return quantity.rawValue
        case .energyRatioSlice: return "E_ratio_E\(Int(incidentEnergy ?? 0))"
        default: return "\(quantity.rawValue)_\(layer ?? -1)"
        }
    }

    /// The label the official code writes in `histogram_chi2_<ds>.txt` (for the three uncalled
    /// helpers, the label their own code would write).
    public var label: String {
        let id = layer.map(String.init) ?? "?"
        switch quantity {
        case .energyRatio: return "Etot / Einc"
        // Python formats the float64 target energy with str(): "256.0", "4194304.0" — as Swift's description.
        case .energyRatioSlice: return "Etot / Einc at E = \(incidentEnergy ?? .nan)"
        case .layerEnergy: return "E layer \(id)"
        case .etaCentre: return "EC Eta layer \(id)"
        case .phiCentre: return "EC Phi layer \(id)"
        case .etaWidth: return "Width Eta layer \(id)"
        case .phiWidth: return "Width Phi layer \(id)"
        case .voxelEnergy: return "Voxel distribution"
        case .sparsity: return "Sparsity layer \(id)"
        case .rCentre: return "EC r layer \(id)"
        case .rWidth: return "Width r layer \(id)"
        }
    }

    /// Whether evaluate.py computes this separation power. Sparsity, EC_r and Width_r have helpers in
    /// evaluate_plotting_helper.py that evaluate.py never calls; we report them, labelled as such.
    public var isOfficial: Bool {
        switch quantity {
        case .sparsity, .rCentre, .rWidth: return false
        default: return true
        }
    }

    /// The per-event values of this observable in `features`; nil for ``Quantity/voxelEnergy``, which is
    /// not an event feature (it is filled from the voxels while a file is read).
    public func values(in features: HighLevelFeatures) -> [Double]? {
        switch quantity {
        case .energyRatio:
            return features.energyRatio
        case .energyRatioSlice:
            // evaluate_plotting_helper.plot_Etot_Einc_discrete: target ≤ E_inc < next target (2×).
            let low = incidentEnergy ?? 0
            return zip(features.totalEnergy, features.incidentEnergy).compactMap { total, incident in
                incident >= low && incident < 2 * low ? total / incident : nil
            }
        case .voxelEnergy:
            return nil
        default:
            guard let layer, let layerFeatures = features[layer: layer] else { return [] }
            switch quantity {
            case .layerEnergy: return layerFeatures.energy
            case .etaCentre: return layerFeatures.etaCentre ?? []
            case .phiCentre: return layerFeatures.phiCentre ?? []
            case .etaWidth: return layerFeatures.etaWidth ?? []
            case .phiWidth: return layerFeatures.phiWidth ?? []
            case .sparsity: return layerFeatures.sparsity
            case .rCentre: return layerFeatures.rCentre
            case .rWidth: return layerFeatures.rWidth
            default: return []
            }
        }
    }
}
