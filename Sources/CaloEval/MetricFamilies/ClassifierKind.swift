import Torch

/// One classifier test of ``ClassifierFamily``: the metric it reports, the per-event inputs it
/// trains on and its network settings. A new classifier metric is one more value in ``all``.
struct ClassifierKind: Sendable {
    /// The metric reported (`cls-low`, `cls-high`, …).
    let metric: Metric
    /// The network and training settings; the family sets the epoch count from ``ClassifierSettings``.
    var configuration: ClassifierConfiguration = .official
    /// The `[events, features]` float64 inputs of the first `events` events of a file (spec/calochallenge.md §5.1).
    let inputs: @Sendable (_ file: FileStatistics, _ events: Int, _ context: EvaluationContext) throws -> Tensor

    /// The classifier tests, in the order they run.
    static let all: [ClassifierKind] = [.lowLevel, .highLevel]

    /// `cls-low`: voxels over E_inc and log10 E_inc, read again from the file (``ClassifierInputs/lowLevel(showers:incidentEnergies:threshold:)``).
    static let lowLevel = ClassifierKind(metric: .clsLow) { file, events, context in
        try loadTransformed(
            file.input.path, geometry: context.geometry, limit: events, width: context.geometry.voxelCount + 1, device: .cpu
        ) { showers, energies in
            try ClassifierInputs.lowLevel(showers: showers, incidentEnergies: energies, threshold: context.threshold)
        }
    }

    /// `cls-high`: the high-level feature matrix gathered in the main pass (``ClassifierInputs/highLevel(_:)``).
    static let highLevel = ClassifierKind(metric: .clsHigh) { file, events, _ in
        try ClassifierInputs.highLevel(file.features).narrowed(dim: 0, start: 0, length: events)
    }
}
