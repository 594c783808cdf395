/// `pcc`: Pearson correlation matrices of the layer energies (spec/calochallenge.md §7.2).
public struct CorrelationFamily: MetricFamily {
    public init() {}
    public var metrics: [Metric] { [.pcc] }
    public var needs: ScanNeeds { [] }

    public func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
        let referenceMatrix = PearsonCorrelation.matrix(context.reference.features.layers.map(\.energy))
        var matrices = ["reference": referenceMatrix]
        var differences: [String: [[Double]]] = [:]
        var maximum = ObservableReport(label: "largest |generated − reference| correlation, off the diagonal")
        var mean = ObservableReport(label: "mean |generated − reference| correlation, off the diagonal")
        for file in context.candidates {
            let matrix = PearsonCorrelation.matrix(file.features.layers.map(\.energy))
            let difference = PearsonCorrelation.difference(matrix, referenceMatrix)
            let summary = PearsonCorrelation.summary(of: difference)
            matrices[file.input.label] = matrix
            differences[file.input.label] = difference
            if file.input.role == .reference2 {
                maximum.floor = Score(summary.maximumAbsolute)
                mean.floor = Score(summary.meanAbsolute)
            } else {
                maximum.scores[file.input.label] = Score(summary.maximumAbsolute)
                mean.scores[file.input.label] = Score(summary.meanAbsolute)
            }
        }
        let report = MetricReport(
            status: .ok, explanation: Metric.pcc.explanation,
            parameters: [
                "variables": "E_layer of every relevant layer, increasing id",
                "nan_policy": "zero-variance entries set to 0, diagonal 1 (CaloChallenge reference notebook)",
            ],
            order: ["max_abs_difference", "mean_abs_difference"],
            observables: ["max_abs_difference": maximum, "mean_abs_difference": mean],
            correlation: CorrelationReport(
                layers: context.reference.features.layerIDs, matrices: matrices, differences: differences))
        return [.pcc: report]
    }
}
