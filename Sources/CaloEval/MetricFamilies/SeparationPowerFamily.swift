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
