/// Everything an evaluation found, as written to metrics.json: inputs with their checks, settings,
/// software versions, warnings and one ``MetricReport`` per metric (every metric is present; those
/// not run say why).
///
/// Layout (keys are stable):
///
///     schema, created, software{…}, geometry, dataset, threshold_mev, seed, metrics_requested[…],
///     inputs{reference{…}, reference2{…}|null, generated[{…}]}, warnings[…],
///     metrics{hist|pcc|w1|fpd|kpd|prdc|cls-low|cls-high: {status, reason, explanation, parameters{…},
///             order[…], observables{KEY: {label, …, scores{GENERATED_LABEL: {value, uncertainty}},
///             floor{value, uncertainty}|null, components{…}?}}, correlation{…}?}}
public struct EvaluationResult: Sendable, Equatable, Codable {
    public struct Inputs: Sendable, Equatable, Codable {
        public var reference: EvaluationInput
        public var reference2: EvaluationInput?
        public var generated: [EvaluationInput]

        public init(reference: EvaluationInput, reference2: EvaluationInput?, generated: [EvaluationInput]) {
            self.reference = reference
            self.reference2 = reference2
            self.generated = generated
        }

        enum CodingKeys: String, CodingKey { case reference, reference2, generated }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reference, forKey: .reference)
            try container.encode(reference2, forKey: .reference2)
            try container.encode(generated, forKey: .generated)
        }
    }

    /// Identifies the layout of this file.
    public var schema = "caloforge.evaluation/1"
    /// ISO 8601 time of the run.
    public var createdAt: String
    /// Versions of the software that produced the numbers (caloforge, libtorch, hdf5, …).
    public var software: [String: String]
    /// Geometry name (`ds1-photons`, `ds2`, … or the binning file's name).
    public var geometry: String
    /// evaluate.py's dataset code (`1-photons`, `1-pions`, `2`, `3`), or the geometry name.
    public var datasetCode: String
    /// The readout threshold applied to every file (MeV).
    public var thresholdMeV: Double
    public var seed: UInt64
    public var metricsRequested: [String]
    public var inputs: Inputs
    public var warnings: [String]
    /// One report per metric name (``Metric/rawValue``).
    public var metrics: [String: MetricReport]
    /// Wall-clock seconds of each stage: `reading` (one pass per file for every feature), then one
    /// entry per metric family that ran, named by its metrics joined with `+` (e.g. `fpd+kpd`).
    /// With resumed evaluations (``EvaluationResumption``) a family's time adds up its segments
    /// (up to its last checkpoint in a segment that was killed), and `reading` is the last segment's.
    public var timingsSeconds: [String: Double]?
    /// How many times the evaluation was started before it finished: 1 unless it was resumed.
    public var segments: Int?

    public init(
        createdAt: String, software: [String: String], geometry: String, datasetCode: String, thresholdMeV: Double,
        seed: UInt64, metricsRequested: [String], inputs: Inputs, warnings: [String], metrics: [String: MetricReport]
    ) {
        self.createdAt = createdAt
        self.software = software
        self.geometry = geometry
        self.datasetCode = datasetCode
        self.thresholdMeV = thresholdMeV
        self.seed = seed
        self.metricsRequested = metricsRequested
        self.inputs = inputs
        self.warnings = warnings
        self.metrics = metrics
    }

    enum CodingKeys: String, CodingKey {
        case schema, software, geometry, seed, inputs, warnings, metrics
        case createdAt = "created"
        case datasetCode = "dataset"
        case thresholdMeV = "threshold_mev"
        case metricsRequested = "metrics_requested"
        case timingsSeconds = "timings_seconds"
        case segments
    }

    /// The report of `metric`.
    public subscript(metric: Metric) -> MetricReport? { metrics[metric.rawValue] }

    /// Whether any selected metric failed.
    public var hasFailures: Bool { metrics.values.contains { $0.status == .failed } }
}
