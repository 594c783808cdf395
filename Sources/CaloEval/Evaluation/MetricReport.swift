/// A number with an optional uncertainty, as stored in metrics.json. NaN and infinities become null
/// (JSON has no NaN), and both keys are always written.
public struct Score: Sendable, Equatable, Codable {
    /// The value; nil when undefined (for example a histogram with no entry in range).
    public var value: Double?
    /// One standard deviation, for scores that have one (W1: over repetitions).
    public var uncertainty: Double?

    public init(_ value: Double?, uncertainty: Double? = nil) {
        self.value = value.flatMap { $0.isFinite ? $0 : nil }
        self.uncertainty = uncertainty.flatMap { $0.isFinite ? $0 : nil }
    }

    enum CodingKeys: String, CodingKey { case value, uncertainty }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // encode(Optional) writes an explicit null, so the key is always present.
        try container.encode(value, forKey: .value)
        try container.encode(uncertainty, forKey: .uncertainty)
    }
}

/// The scores of one observable of a metric: per generated file (keyed by its label) and the
/// reference floor (reference2 against reference).
public struct ObservableReport: Sendable, Equatable, Codable {
    /// Human-readable name (for `hist`, the label of the official histogram_chi2 file).
    public var label: String
    /// For `hist`: whether evaluate.py computes this histogram (false for sparsity, EC r, width r).
    public var official: Bool?
    /// For `hist`: number of bins and the first and last edge.
    public var bins: Int?
    public var range: [Double]?
    /// Why a score is missing, when one is.
    public var note: String?
    /// Score per generated file label.
    public var scores: [String: Score]
    /// reference2 scored like a generated file; nil without --reference2.
    public var floor: Score?
    /// Parts of a composite observable (W1 E_long, E_radial), keyed like observables.
    public var components: [String: ObservableReport]?
    /// Order of `components` for display.
    public var componentOrder: [String]?

    public init(
        label: String, official: Bool? = nil, bins: Int? = nil, range: [Double]? = nil, note: String? = nil,
        scores: [String: Score] = [:], floor: Score? = nil, components: [String: ObservableReport]? = nil,
        componentOrder: [String]? = nil
    ) {
        self.label = label
        self.official = official
        self.bins = bins
        self.range = range
        self.note = note
        self.scores = scores
        self.floor = floor
        self.components = components
        self.componentOrder = componentOrder
    }

    enum CodingKeys: String, CodingKey {
        case label, official, bins, range, note, scores, floor, components
        case componentOrder = "component_order"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(label, forKey: .label)
        try container.encodeIfPresent(official, forKey: .official)
        try container.encodeIfPresent(bins, forKey: .bins)
        try container.encodeIfPresent(range, forKey: .range)
        try container.encodeIfPresent(note, forKey: .note)
        try container.encode(scores, forKey: .scores)
        try container.encode(floor, forKey: .floor)  // null without a second reference
        try container.encodeIfPresent(components, forKey: .components)
        try container.encodeIfPresent(componentOrder, forKey: .componentOrder)
    }
}

/// Correlation matrices of the `pcc` metric.
public struct CorrelationReport: Sendable, Equatable, Codable {
    /// Layer ids of the rows and columns, increasing.
    public var layers: [Int]
    /// Matrix per file: `reference`, each generated label, and `reference2` when given.
    public var matrices: [String: [[Double]]]
    /// `generated − reference` per generated label (and `reference2`).
    public var differences: [String: [[Double]]]
}

/// The outcome of one metric: its status, what it means, its parameters and its scores.
public struct MetricReport: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        case ok
        case notRun = "not run"
        case failed
    }

    public var status: Status
    /// Why the metric was not run or failed.
    public var reason: String?
    /// What the metric measures and what a good value is (``Metric/explanation``).
    public var explanation: String
    /// Settings that determine the numbers (seed, subsample sizes, threshold, …), as text.
    public var parameters: [String: String]
    /// Observable keys in display order.
    public var order: [String]
    public var observables: [String: ObservableReport]
    /// The matrices of `pcc`.
    public var correlation: CorrelationReport?

    public init(
        status: Status, reason: String? = nil, explanation: String, parameters: [String: String] = [:],
        order: [String] = [], observables: [String: ObservableReport] = [:], correlation: CorrelationReport? = nil
    ) {
        self.status = status
        self.reason = reason
        self.explanation = explanation
        self.parameters = parameters
        self.order = order
        self.observables = observables
        self.correlation = correlation
    }

    /// A metric that did not run, with the reason.
    public static func notRun(_ metric: Metric, reason: String) -> MetricReport {
        MetricReport(status: .notRun, reason: reason, explanation: metric.explanation)
    }

    enum CodingKeys: String, CodingKey {
        case status, reason, explanation, parameters, order, observables, correlation
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(reason, forKey: .reason)
        try container.encode(explanation, forKey: .explanation)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(order, forKey: .order)
        try container.encode(observables, forKey: .observables)
        try container.encodeIfPresent(correlation, forKey: .correlation)
    }
}
