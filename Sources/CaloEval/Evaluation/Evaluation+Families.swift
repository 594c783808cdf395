import Foundation

/// What the metric families of an evaluation produced (``Evaluation/runFamilies(_:context:)``).
struct FamilyOutcome {
    /// A report for every metric: computed, read back from saved progress, failed or not run.
    var reports: [Metric: MetricReport] = [:]
    /// Compute seconds per family (key: its metrics joined by `+`), over every segment.
    var timings: [String: Double] = [:]
    /// One warning per metric of a family that failed.
    var warnings: [String] = []
}

extension Evaluation {
    /// Runs every family in `active`, reusing those finished in an earlier segment of a resumable
    /// evaluation; a family that fails is reported as `failed`, and selected metrics that no family
    /// provides as not run.
    ///
    /// - Throws: ``EvaluationError/interrupted(resumeFrom:)`` when the evaluation was asked to stop
    ///   (between families, or from inside a long family), or what saving the progress throws.
    func runFamilies(_ active: [any MetricFamily], context: EvaluationContext) throws -> FamilyOutcome {
        let selected = configuration.metrics
        var outcome = FamilyOutcome()
        for family in active {
            try run(family, context: context, into: &outcome)
        }
        for metric in Metric.allCases where outcome.reports[metric] == nil {
            let reason =
                selected.contains(metric)
                ? "not available in this build (no metric family provides \(metric.rawValue) yet)"
                : "not requested (select it with --metrics \(metric.rawValue) or all)"
            outcome.reports[metric] = .notRun(metric, reason: reason)
        }
        return outcome
    }

    /// Runs one family, or reads back its reports when an earlier segment finished it.
    private func run(_ family: any MetricFamily, context: EvaluationContext, into outcome: inout FamilyOutcome) throws {
        let selected = configuration.metrics
        let resumption = configuration.resumption
        let key = family.metrics.map(\.rawValue).joined(separator: "+")
        if let resumption, let saved = try resumption.finished(family: key) {
            for (metric, report) in saved.reports where selected.contains(metric) { outcome.reports[metric] = report }
            outcome.timings[key] = saved.seconds
            return
        }
        if let resumption, resumption.shouldStop() {
            throw EvaluationError.interrupted(resumeFrom: resumption.directory.path)
        }
        context.progress(
            EvaluationProgress(
                stage: "metrics", file: family.metrics.map(\.rawValue).joined(separator: ","), completedEvents: 0,
                totalEvents: 0))
        let familyStart = Date()
        resumption?.started(family: key)
        do {
            var familyReports: [Metric: MetricReport] = [:]
            for (metric, report) in try family.evaluate(context) where selected.contains(metric) {
                familyReports[metric] = report
            }
            outcome.reports.merge(familyReports) { $1 }
            let seconds = resumption?.elapsedSeconds(family: key) ?? Date().timeIntervalSince(familyStart)
            outcome.timings[key] = seconds
            try resumption?.finish(family: key, reports: familyReports, seconds: seconds)
        } catch EvaluationError.interrupted(let folder) {
            resumption?.recordTime()
            throw EvaluationError.interrupted(resumeFrom: resumption?.directory.path ?? folder)
        } catch {
            outcome.timings[key] = Date().timeIntervalSince(familyStart)
            for metric in family.metrics where selected.contains(metric) {
                outcome.reports[metric] = MetricReport(status: .failed, reason: "\(error)", explanation: metric.explanation)
                outcome.warnings.append("metric \(metric.rawValue) failed: \(error)")
            }
        }
    }
}
