import Foundation

/// A metric family of the evaluation, by its command-line name.
public enum Metric: String, CaseIterable, Sendable, Codable, Hashable {
    /// Separation powers of the official high-level-feature histograms (spec/calochallenge.md §4.5–§4.6).
    case hist
    /// Pearson correlation matrices of the layer energies (spec §7.2).
    case pcc
    /// W1 scores of standardised shower observables (CaloClouds II, §4.2).
    case w1
    /// Fréchet physics distance (spec §6.3).
    case fpd
    /// Kernel physics distance (spec §6.4).
    case kpd
    /// Precision, recall, density, coverage (spec §7.1).
    case prdc
    /// Classifier AUC on voxels (spec §5, cls-low).
    case clsLow = "cls-low"
    /// Classifier AUC on high-level features (spec §5, cls-high).
    case clsHigh = "cls-high"
    /// Classifier AUC on voxels divided by their layer energy, plus the layer energies (spec §5.1, cls-low-normed).
    case clsLowNormed = "cls-low-normed"
    /// AUC of the 3-D CNN ResNet classifier on voxels (spec §5.5, cls-resnet; ds2 and ds3 only).
    case clsResNet = "cls-resnet"

    /// Every name `MetricSelection(parsing:)` accepts: `all` and each metric.
    public static var selectionNames: [String] { ["all"] + allCases.map(\.rawValue) }

    /// What the metric measures and what a good value is, in one or two sentences (for help texts and
    /// reports).
    public var explanation: String {
        switch self {
        case .hist:
            return
                "Separation power S = ½ Σ (p₁ − p₂)²/(p₁ + p₂) between reference and generated histograms of E_tot/E_inc, layer energies, centres and widths of energy, and voxel energies, with the official evaluate.py binning. 0 = identical histograms, 1 = no overlap; lower is better, and the reference floor shows what statistics alone give."
        case .pcc:
            return
                "Pearson correlation matrices of the layer energies for each file, and generated minus reference. Summarised by the largest and the mean absolute difference off the diagonal; 0 = the layer-to-layer correlations are reproduced."
        case .w1:
            return
                "1-Wasserstein distance between reference and generated distributions of shower observables (hits, E_tot/E_inc, voxel energies, longitudinal and radial profiles, centres of gravity), each standardised by the reference's mean and standard deviation, as mean ± std over repeated subsamples. 0 = identical; compare with the reference floor."
        case .fpd:
            return
                "Fréchet physics distance between high-level-feature distributions (×10³ in the official output); 0 = identical."
        case .kpd:
            return
                "Kernel physics distance (polynomial-kernel MMD) between high-level-feature distributions; compatible with 0 = identical."
        case .prdc:
            return "Precision, recall, density and coverage of generated voxel showers against the reference; 1 is ideal."
        case .clsLow:
            return
                "AUC of a classifier trained to tell generated from reference showers on voxels; 0.5 = indistinguishable, 1 = perfectly separable."
        case .clsHigh:
            return "AUC of a classifier trained on high-level features; 0.5 = indistinguishable, 1 = perfectly separable."
        case .clsLowNormed:
            return
                "AUC of a classifier trained on voxels divided by their layer's energy, with the layer energies; it sees the shower shapes apart from the energy deposited per layer. 0.5 = indistinguishable, 1 = perfectly separable."
        case .clsResNet:
            return
                "AUC of a 3-D convolutional ResNet-18 trained to tell generated from reference voxel showers (ds2 and ds3); 0.5 = indistinguishable, 1 = perfectly separable."
        }
    }
}

/// The metrics an evaluation runs, in ``Metric/allCases`` order without repeats.
public struct MetricSelection: Sendable, Equatable, Codable {
    public private(set) var metrics: [Metric]

    /// Every metric.
    public static let all = MetricSelection(Metric.allCases)

    public init(_ metrics: [Metric]) {
        self.metrics = Metric.allCases.filter(metrics.contains)
    }

    /// Parses names as given on the command line: each element may be a comma-separated list; `all`
    /// selects every metric. Whitespace around names is ignored; names are case-insensitive.
    ///
    /// - Throws: ``EvaluationError/unknownMetric(_:)`` for a name that is not a metric, and
    ///   ``EvaluationError/invalidArgument(_:)`` when no name is given.
    public init(parsing names: [String]) throws {
        var selected: [Metric] = []
        for name in names.flatMap({ $0.split(separator: ",") }) {
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            if trimmed == "all" {
                selected += Metric.allCases
            } else if let metric = Metric(rawValue: trimmed) {
                selected.append(metric)
            } else {
                throw EvaluationError.unknownMetric(trimmed)
            }
        }
        guard !selected.isEmpty else {
            throw EvaluationError.invalidArgument(
                "no metric selected; pass --metrics with one or more of \(Metric.selectionNames.joined(separator: ", "))")
        }
        self.init(selected)
    }

    public func contains(_ metric: Metric) -> Bool { metrics.contains(metric) }
}
