import Foundation
import Torch

/// One training of the classifier test and its calibrated score.
public struct ClassifierRun {
    public let score: ClassifierScore
    /// The trained classifier (best epoch); nil for a run whose score was read back from a
    /// checkpoint folder (``classifierTest(generated:reference:sizes:configuration:runCount:device:generator:checkpointing:onEpoch:)``).
    public let classifier: TrainedClassifier?
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
    generator: Generator, checkpointing: ClassifierCheckpointing? = nil, onEpoch: ((ClassifierEpoch) -> Void)? = nil
) throws -> ClassifierRun {
    let trained = try trainClassifier(
        split, configuration: configuration, device: device, generator: generator, checkpointing: checkpointing,
        onEpoch: onEpoch)
    func probabilities(_ samples: LabelledSamples) throws -> [Double] {
        try classifierProbabilities(
            trained.network, samples: samples, batchSize: configuration.batchSize,
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
/// and a fresh training (``runClassifierTest(_:configuration:device:generator:checkpointing:onEpoch:)``), all
/// randomness from `generator`.
///
/// - Parameters:
///   - generated, reference: `[events, features]` inputs, equal shapes — ``ClassifierInputs/lowLevel(showers:incidentEnergies:threshold:)``
///     for cls-low, ``ClassifierInputs/highLevel(_:)`` for cls-high.
///   - sizes: events per class for training and testing (``ClassifierSplitSizes/official(for:)``).
///   - runCount: independent trainings (the paper uses 10; evaluate.py runs 1).
///   - device: where the network trains (`.cpu`, `.cuda(0)`, …).
///   - checkpointing: a folder for the whole test: each finished run's score and generator state
///     go to `run-<r>.safetensors`, the run in progress keeps its epochs in `run-<r>/`. Called again
///     with the same inputs and seed, the test skips the finished runs, resumes the one in
///     progress and gives the numbers of an uninterrupted test.
/// - Throws: ``EvaluationError/invalidArgument(_:)`` for invalid inputs or settings,
///   ``EvaluationError/interrupted(resumeFrom:)`` and ``EvaluationError/cannotResume(path:reason:)``
///   (see ``trainClassifier(_:configuration:device:generator:checkpointing:onEpoch:)``), or the engine's errors.
public func classifierTest(
    generated: Tensor, reference: Tensor, sizes: ClassifierSplitSizes, configuration: ClassifierConfiguration = .official,
    runCount: Int = 1, device: Device = .cpu, generator: Generator, checkpointing: ClassifierCheckpointing? = nil,
    onEpoch: ((Int, ClassifierEpoch) -> Void)? = nil
) throws -> ClassifierTestResult {
    guard runCount >= 1 else {
        throw EvaluationError.invalidArgument("classifier test: runCount must be at least 1, got \(runCount)")
    }
    var runs: [ClassifierRun] = []
    for run in 0..<runCount {
        let finished = checkpointing.map { $0.directory.appendingPathComponent("run-\(run).safetensors") }
        if let finished, let score = try restoreFinishedRun(finished, generator: generator) {
            runs.append(ClassifierRun(score: score, classifier: nil))
            continue
        }
        let runCheckpointing = checkpointing.map {
            ClassifierCheckpointing(
                directory: $0.directory.appendingPathComponent("run-\(run)"), shouldStop: $0.shouldStop, onSave: $0.onSave)
        }
        let split = try ClassifierDataSplit(generated: generated, reference: reference, sizes: sizes, generator: generator)
        let result = try runClassifierTest(
            split, configuration: configuration, device: device, generator: generator, checkpointing: runCheckpointing
        ) { onEpoch?(run, $0) }
        runs.append(result)
        if let finished, let runCheckpointing {
            try saveFinishedRun(result.score, generator: generator, to: finished)
            try? FileManager.default.removeItem(at: runCheckpointing.directory)
        }
    }
    return ClassifierTestResult(runs: runs)
}

/// Writes a finished run's score (metadata `score`, JSON) and the generator state after it (tensor
/// `generator`), so that the next run starts from the same random state after a resume.
private func saveFinishedRun(_ score: ClassifierScore, generator: Generator, to url: URL) throws {
    let json = String(decoding: try JSONEncoder().encode(score), as: UTF8.self)
    try Safetensors.save(["generator": try generator.state()], metadata: ["score": json], to: url)
}

/// The score of a finished run and the generator state after it, restored; nil when the run has not finished.
private func restoreFinishedRun(_ url: URL, generator: Generator) throws -> ClassifierScore? {
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    do {
        let (tensors, metadata) = try Safetensors.load(url)
        guard let state = tensors["generator"], let json = metadata["score"] else {
            throw EvaluationError.invalidArgument("it has no generator state or no score")
        }
        let score = try JSONDecoder().decode(ClassifierScore.self, from: Data(json.utf8))
        try generator.setState(state)
        return score
    } catch {
        throw EvaluationError.cannotResume(path: url.path, reason: "\(error)")
    }
}
