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
