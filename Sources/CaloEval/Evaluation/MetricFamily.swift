import CaloData

/// A family of metrics that ``Evaluation`` can run: it turns the statistics gathered from the files
/// into ``MetricReport``s. The math lives in pure functions elsewhere in CaloEval; a family only
/// assembles inputs and results.
///
/// To add FPD/KPD, PRDC or a classifier: write a type conforming to this protocol that computes its
/// metrics from ``EvaluationContext`` (high-level features are in every ``FileStatistics``; voxel-level
/// methods can stream the files at ``EvaluationInput/path`` themselves with the context's geometry and
/// threshold) and append it to ``Evaluation/families``. Selected metrics that no family provides are
/// reported as "not run".
public protocol MetricFamily: Sendable {
    /// The metrics this family computes.
    var metrics: [Metric] { get }
    /// Voxel-level statistics to gather while reading the files.
    var needs: ScanNeeds { get }
    /// Reports for `metrics` that are selected in the context (others may be omitted).
    func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport]
}

/// Everything a ``MetricFamily`` gets: the settings and the statistics of every file.
public struct EvaluationContext {
    public let configuration: EvaluationConfiguration
    public let geometry: Geometry
    public let threshold: ReadoutThreshold
    public let reference: FileStatistics
    /// The second reference, for the reference-vs-reference floor.
    public let reference2: FileStatistics?
    public let generated: [FileStatistics]
    /// Separation-power edges derived from the reference (present when `hist` is selected).
    public let histogramEdges: HistogramEdges?
    /// Progress of long families (PRDC passes, classifier epochs), for the caller's display.
    public let progress: (EvaluationProgress) -> Void

    /// Where long families save intermediate state, or nil.
    var resumption: EvaluationResumption? { configuration.resumption }

    /// The generated files and then reference2 (scored like a generated file for the floor).
    var candidates: [FileStatistics] { generated + (reference2.map { [$0] } ?? []) }
}

/// The families built into CaloEval: separation powers, correlations, W1 scores, FPD/KPD, PRDC and the classifier tests.
public enum BuiltInMetricFamilies {
    public static let all: [any MetricFamily] = [
        SeparationPowerFamily(), CorrelationFamily(), WassersteinFamily(), PhysicsDistanceFamily(), PRDCFamily(),
        ClassifierFamily(),
    ]
}

/// `hist`: separation powers of every histogram of ``HistogramBinning`` (spec/calochallenge.md §4.5–§4.6).
public struct SeparationPowerFamily: MetricFamily {
    public init() {}
    public var metrics: [Metric] { [.hist] }
    public var needs: ScanNeeds { [.voxelEnergyHistogram] }

    public func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
        guard let edges = context.histogramEdges else {
            throw EvaluationError.invalidArgument("separation powers need the reference's histogram edges")
        }
        let reference = ReferenceHistograms(
            edges: edges,
            reference: try HistogramSet(
                edges: edges, features: context.reference.features, voxelEnergies: context.reference.voxelEnergies))
        var observables: [String: ObservableReport] = [:]
        for entry in edges.entries {
            observables[entry.observable.key] = ObservableReport(
                label: entry.observable.label, official: entry.observable.isOfficial,
                bins: entry.edges.map { $0.count - 1 }, range: entry.edges.map { [$0[0], $0[$0.count - 1]] },
                note: entry.undefinedReason)
        }
        for file in context.candidates {
            let scores = reference.separationPowers(
                try HistogramSet(edges: edges, features: file.features, voxelEnergies: file.voxelEnergies))
            for score in scores {
                let key = score.observable.key
                if file.input.role == .reference2 {
                    observables[key]?.floor = Score(score.value)
                } else {
                    observables[key]?.scores[file.input.label] = Score(score.value)
                }
                if score.value?.isNaN ?? false, observables[key]?.note == nil {
                    observables[key]?.note =
                        "no entries in the histogram range for at least one file (S is NaN, as in evaluate.py)"
                }
            }
        }
        let parameters = [
            "dataset": edges.binning.datasetCode,
            "threshold_mev": "\(context.threshold.energy)",
            "binning":
                "evaluate.py / evaluate_plotting_helper.py (spec/calochallenge.md §4.5); log binnings end exactly at the reference maximum",
        ]
        return [
            .hist: MetricReport(
                status: .ok, explanation: Metric.hist.explanation, parameters: parameters,
                order: edges.entries.map(\.observable.key), observables: observables)
        ]
    }
}

/// `pcc`: Pearson correlation matrices of the layer energies (spec/calochallenge.md §7.2).
public struct CorrelationFamily: MetricFamily {
    public init() {}
    public var metrics: [Metric] { [.pcc] }
    public var needs: ScanNeeds { [] }

    public func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
        let referenceMatrix = PearsonCorrelation.matrix(context.reference.features.layers.map(\.energy))
        var matrices = ["reference": referenceMatrix]
        var differences: [String: [[Double]]] = [:]
        var maximum = ObservableReport(label: "largest |generated − reference| correlation, off the diagonal")
        var mean = ObservableReport(label: "mean |generated − reference| correlation, off the diagonal")
        for file in context.candidates {
            let matrix = PearsonCorrelation.matrix(file.features.layers.map(\.energy))
            let difference = PearsonCorrelation.difference(matrix, referenceMatrix)
            let summary = PearsonCorrelation.summary(of: difference)
            matrices[file.input.label] = matrix
            differences[file.input.label] = difference
            if file.input.role == .reference2 {
                maximum.floor = Score(summary.maximumAbsolute)
                mean.floor = Score(summary.meanAbsolute)
            } else {
                maximum.scores[file.input.label] = Score(summary.maximumAbsolute)
                mean.scores[file.input.label] = Score(summary.meanAbsolute)
            }
        }
        let report = MetricReport(
            status: .ok, explanation: Metric.pcc.explanation,
            parameters: [
                "variables": "E_layer of every relevant layer, increasing id",
                "nan_policy": "zero-variance entries set to 0, diagonal 1 (CaloChallenge reference notebook)",
            ],
            order: ["max_abs_difference", "mean_abs_difference"],
            observables: ["max_abs_difference": maximum, "mean_abs_difference": mean],
            correlation: CorrelationReport(
                layers: context.reference.features.layerIDs, matrices: matrices, differences: differences))
        return [.pcc: report]
    }
}

/// `w1`: W1 scores of standardised observables as CaloClouds II reports them (``W1Observables``,
/// ``W1Comparison``).
public struct WassersteinFamily: MetricFamily {
    public init() {}
    public var metrics: [Metric] { [.w1] }
    public var needs: ScanNeeds { [.radialProfile, .cellEnergies] }

    public func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
        let geometry = context.geometry
        func observables(_ file: FileStatistics, grouping: W1Grouping) throws -> W1Observables {
            guard let profile = file.radialProfile, let cells = file.cellEnergies else {
                throw EvaluationError.invalidArgument("W1 scores need the radial profile and cell energies of \(file.input.path)")
            }
            return W1Observables(
                features: file.features, profile: profile, cellEnergies: cells.values, geometry: geometry, grouping: grouping)
        }
        guard let referenceProfile = context.reference.radialProfile else {
            throw EvaluationError.invalidArgument("W1 scores need the reference's radial profile")
        }
        let grouping = W1Grouping(
            referenceFeatures: context.reference.features, referenceProfile: referenceProfile, geometry: geometry)
        let reference = try observables(context.reference, grouping: grouping)
        let settings = context.configuration.w1
        var reports: [String: ObservableReport] = [:]
        var order: [String] = []
        func record(_ score: W1Score, label: String, role: EvaluationInput.Role, into report: inout ObservableReport) {
            let value = Score(score.mean, uncertainty: score.standardDeviation)
            if role == .reference2 { report.floor = value } else { report.scores[label] = value }
            for component in score.components ?? [] {
                var part =
                    report.components?[component.key]
                    ?? ObservableReport(label: W1Observables.label(of: component.key, grouping: grouping))
                record(component, label: label, role: role, into: &part)
                report.components?[component.key] = part
            }
        }
        for file in context.candidates {
            let scores = W1Comparison.scores(
                reference: reference, generated: try observables(file, grouping: grouping),
                settings: settings, seed: context.configuration.seed)
            for score in scores {
                if reports[score.key] == nil {
                    order.append(score.key)
                    let parts = score.components?.map(\.key)
                    reports[score.key] = ObservableReport(
                        label: W1Observables.label(of: score.key, grouping: grouping),
                        components: parts.map { _ in [:] }, componentOrder: parts)
                }
                record(score, label: file.input.label, role: file.input.role, into: &reports[score.key]!)
            }
        }
        let referenceEvents = context.reference.features.eventCount
        let groups = grouping.layerGroups.map { "\($0.first ?? 0)–\($0.last ?? 0)" }.joined(separator: ", ")
        let rings = grouping.ringRanges.map { "\(grouping.radii[$0.lowerBound])–\(grouping.radii[$0.upperBound - 1])" }.joined(
            separator: ", ")
        let parameters = [
            "seed": "\(context.configuration.seed)",
            "subsample_size": "\(settings.subsampleSize) (capped by the smaller file; reference has \(referenceEvents) events)",
            "repetitions": "\(settings.repetitions)",
            "standardisation":
                "each observable divided by the reference's population standard deviation after subtracting its mean (CaloClouds II)",
            "uncertainty":
                "population standard deviation over repetitions; E_long and E_radial: mean of the component means ± sqrt(sum of component variances)",
            "cell_energies":
                "a seeded uniform sample of up to \(settings.subsampleSize * settings.repetitions) voxel energies per file",
            "layer_groups": groups,
            "rings_mm": rings,
            "scale": "raw W1 of the standardised observables (the CaloClouds II table quotes them multiplied by a power of ten)",
        ]
        return [
            .w1: MetricReport(
                status: .ok, explanation: Metric.w1.explanation, parameters: parameters, order: order, observables: reports)
        ]
    }
}
