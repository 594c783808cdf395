import Foundation
import Torch

/// One training of the classifier test and its calibrated score.
public struct ClassifierRun {
    public let score: ClassifierScore
    /// The trained classifier (best epoch).
    public let classifier: TrainedClassifier
}

/// The classifier test repeated over independent trainings (spec/calochallenge.md §5.4: the paper
/// reports mean ± std of 10 trainings).
public struct ClassifierTestResult {
    public let runs: [ClassifierRun]

    /// Mean calibrated AUC over the runs.
    public var meanAUC: Double { mean(runs.map(\.score.auc)) }
    /// Standard deviation of the calibrated AUC over the runs (population, ddof = 0, as `np.std`).
    public var aucStandardDeviation: Double { standardDeviation(runs.map(\.score.auc)) }
    /// Mean calibrated JSD over the runs.
    public var meanJSD: Double { mean(runs.map(\.score.jsd)) }
    /// Standard deviation of the calibrated JSD (population, ddof = 0).
    public var jsdStandardDeviation: Double { standardDeviation(runs.map(\.score.jsd)) }

    private func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
    private func standardDeviation(_ x: [Double]) -> Double {
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot()
    }
}

/// Trains and scores one classifier on a given split (spec/calochallenge.md §5.3–5.4): training
/// with model selection on the test set (``trainClassifier(_:configuration:device:generator:onEpoch:)``),
/// raw probabilities on the test and validation sets, then ``ClassifierScore`` (isotonic
/// calibration fitted on the test set, AUC and JSD on the validation set).
public func runClassifierTest(
    _ split: ClassifierDataSplit, configuration: ClassifierConfiguration = .official, device: Device = .cpu,
    generator: Generator, onEpoch: ((ClassifierEpoch) -> Void)? = nil
) throws -> ClassifierRun {
    let trained = try trainClassifier(split, configuration: configuration, device: device, generator: generator, onEpoch: onEpoch)
    func probabilities(_ samples: LabelledSamples) throws -> [Double] {
        try classifierProbabilities(
            trained.network, inputs: samples.inputs, batchSize: configuration.batchSize,
            dtype: configuration.dtype, device: device
        ).toArray(Double.self)
    }
    let score = try ClassifierScore(
        calibrationProbabilities: probabilities(split.test), calibrationLabels: split.test.labels.toArray(Double.self),
        probabilities: probabilities(split.validation), labels: split.validation.labels.toArray(Double.self))
    return ClassifierRun(score: score, classifier: trained)
}

/// The full classifier test of `generated` against `reference` (spec/calochallenge.md §5): for
/// each of `runCount` runs a fresh split (``ClassifierDataSplit/init(generated:reference:sizes:generator:)``)
/// and a fresh training (``runClassifierTest(_:configuration:device:generator:onEpoch:)``), all
/// randomness from `generator`.
///
/// - Parameters:
///   - generated, reference: `[events, features]` inputs, equal shapes — ``ClassifierInputs/lowLevel(showers:incidentEnergies:threshold:)``
///     for cls-low, ``ClassifierInputs/highLevel(_:)`` for cls-high.
///   - sizes: events per class for training and testing (``ClassifierSplitSizes/official(for:)``).
///   - runCount: independent trainings (the paper uses 10; evaluate.py runs 1).
///   - device: where the network trains (`.cpu`, `.cuda(0)`, …).
/// - Throws: ``EvaluationError/invalidArgument(_:)`` for invalid inputs or settings, or the engine's errors.
public func classifierTest(
    generated: Tensor, reference: Tensor, sizes: ClassifierSplitSizes, configuration: ClassifierConfiguration = .official,
    runCount: Int = 1, device: Device = .cpu, generator: Generator, onEpoch: ((Int, ClassifierEpoch) -> Void)? = nil
) throws -> ClassifierTestResult {
    guard runCount >= 1 else {
        throw EvaluationError.invalidArgument("classifier test: runCount must be at least 1, got \(runCount)")
    }
    var runs: [ClassifierRun] = []
    for run in 0..<runCount {
        let split = try ClassifierDataSplit(generated: generated, reference: reference, sizes: sizes, generator: generator)
        runs.append(
            try runClassifierTest(split, configuration: configuration, device: device, generator: generator) { onEpoch?(run, $0) }
        )
    }
    return ClassifierTestResult(runs: runs)
}
