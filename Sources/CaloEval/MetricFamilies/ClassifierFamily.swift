import Foundation
import Torch

/// `cls-low`, `cls-high`, `cls-low-normed`, `cls-resnet`: a DNN (or, for `cls-resnet`, a 3-D
/// ResNet) trained to tell generated from reference showers, calibrated
/// (isotonic) AUC and JSD, mean ± std over runs (spec/calochallenge.md §5). A perfect generator
/// scores AUC 0.5, JSD 0. Each test is a ``ClassifierKind``.
///
/// With a resumption folder, finished trainings are kept per run and the one in progress per epoch
/// (``ClassifierCheckpointing``), the scores of a finished test per file (``SavedWork``).
public struct ClassifierFamily: MetricFamily {
    public init() {}
    public var metrics: [Metric] { ClassifierKind.all.map(\.metric) }
    public var needs: ScanNeeds { [] }

    public func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
        var reports: [Metric: MetricReport] = [:]
        for kind in ClassifierKind.all where context.configuration.metrics.contains(kind.metric) {
            do {
                reports[kind.metric] = try report(kind, context)
            } catch let error as EvaluationError {
                // A test the official code does not define here (cls-resnet on ds1) is not run, with the reason.
                guard case .classifierUndefined = error else { throw error }
                reports[kind.metric] = .notRun(kind.metric, reason: error.description)
            }
        }
        return reports
    }

    /// The AUC and JSD of one classifier test for every candidate file.
    private func report(_ kind: ClassifierKind, _ context: EvaluationContext) throws -> MetricReport {
        let settings = context.configuration.classifier
        var configuration = try kind.configuration(context.geometry, settings)
        configuration.epochCount = settings.epochs
        configuration.dtype = settings.dtype
        var auc = ObservableReport(label: "AUC (calibrated)")
        var jsd = ObservableReport(label: "JSD / ln 2")
        var note: String?
        for file in context.candidates {
            let events = Swift.min(file.features.eventCount, context.reference.features.eventCount)
            let (sizes, sizeNote) = classifierSplitSizes(for: context.geometry, events: events)
            note = note ?? sizeNote
            let saved = SavedWork(context, family: "classifier").subfolder("\(kind.metric.rawValue)-\(file.input.label)")
            let scores = try saved.value("scores.json") {
                try train(kind, configuration: configuration, file: file, events: events, sizes: sizes, saved: saved, context)
            }
            let result = ClassifierTestResult(runs: scores.map { ClassifierRun(score: $0, classifier: nil) })
            let aucScore = Score(result.meanAUC, uncertainty: settings.runs > 1 ? result.aucStandardDeviation : nil)
            let jsdScore = Score(result.meanJSD, uncertainty: settings.runs > 1 ? result.jsdStandardDeviation : nil)
            if file.input.role == .reference2 {
                auc.floor = aucScore
                jsd.floor = jsdScore
            } else {
                auc.scores[file.input.label] = aucScore
                jsd.scores[file.input.label] = jsdScore
            }
        }
        auc.note = note
        return MetricReport(
            status: .ok, explanation: kind.metric.explanation,
            parameters: ["epochs": String(settings.epochs), "runs": String(settings.runs),
                         "network": "\(configuration.architecture.summary), \(configuration.dtype)",
                         "device": context.configuration.device.description],
            order: ["auc", "jsd"], observables: ["auc": auc, "jsd": jsd])
    }

    /// Trains the classifier test of `file` against the reference on their first `events` events and
    /// returns the score of every run.
    private func train(
        _ kind: ClassifierKind, configuration: ClassifierConfiguration, file: FileStatistics, events: Int,
        sizes: ClassifierSplitSizes, saved: SavedWork, _ context: EvaluationContext
    ) throws -> [ClassifierScore] {
        let settings = context.configuration.classifier
        let metric = kind.metric.rawValue
        let generator = try Generator(seed: context.configuration.seed &+ 17)
        let result = try classifierTest(
            generated: try kind.inputs(file, events, context), reference: try kind.inputs(context.reference, events, context),
            sizes: sizes, configuration: configuration, runCount: settings.runs, device: context.configuration.device,
            generator: generator, checkpointing: saved.classifierCheckpointing
        ) { run, epoch in
            let runs = settings.runs > 1 ? " run \(run + 1)/\(settings.runs)" : ""
            context.progress(EvaluationProgress(
                stage: "classifier",
                file: "\(metric) \(file.input.label)\(runs), test accuracy \(String(format: "%.4f", epoch.testAccuracy))",
                completedEvents: epoch.epoch, totalEvents: settings.epochs, unit: "epochs"))
        }
        context.progress(EvaluationProgress(
            stage: "classifier", file: "\(metric) \(file.input.label): AUC \(String(format: "%.4f", result.meanAUC))",
            completedEvents: settings.epochs, totalEvents: settings.epochs, unit: "epochs"))
        return result.runs.map(\.score)
    }
}
