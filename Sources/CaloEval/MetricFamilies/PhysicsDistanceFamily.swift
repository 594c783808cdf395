/// `fpd`, `kpd`: Fréchet and kernel physics distances on the high-level feature matrix, as JetNet
/// computes them for evaluate.py (spec/calochallenge.md §6), reported ×10³.
public struct PhysicsDistanceFamily: MetricFamily {
    public init() {}
    public var metrics: [Metric] { [.fpd, .kpd] }
    public var needs: ScanNeeds { [] }

    public func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
        let reference = try ClassifierInputs.highLevel(context.reference.features)
        var reports: [Metric: MetricReport] = [:]
        for metric in metrics where context.configuration.metrics.contains(metric) {
            var observable = ObservableReport(label: metric == .fpd ? "FPD × 10³" : "KPD × 10³")
            for file in context.candidates {
                let generated = try ClassifierInputs.highLevel(file.features)
                let distance = metric == .fpd
                    ? try fpd(reference: reference, generated: generated) : try kpd(reference: reference, generated: generated)
                let score = Score(distance.valueTimes1000, uncertainty: distance.errorTimes1000)
                if file.input.role == .reference2 { observable.floor = score } else { observable.scores[file.input.label] = score }
            }
            reports[metric] = MetricReport(
                status: .ok, explanation: metric.explanation,
                parameters: ["features": "cls-high feature matrix (\(reference.dim(1)) columns), max-abs normalised by the reference",
                             "reference": "JetNet gen_metrics (spec/calochallenge.md §6)"],
                order: ["value"], observables: ["value": observable])
        }
        return reports
    }
}
