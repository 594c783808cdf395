import CaloData
import Foundation

extension Evaluation {
    /// The result of an evaluation from its opened inputs, scanned files and family outcome:
    /// software versions (HDF5's added), settings, inputs, warnings in the order they arose, every
    /// metric's report and the timings.
    func assembleResult(_ inputs: OpenedInputs, files: ScannedFiles, families: FamilyOutcome) -> EvaluationResult {
        var software = configuration.software
        software["hdf5"] = HDF5Library.version
        let binning = HistogramBinning(geometry: inputs.geometry, threshold: inputs.threshold)
        var timings = families.timings
        timings["reading"] = files.readingSeconds
        var result = EvaluationResult(
            createdAt: ISO8601DateFormatter().string(from: Date()),
            software: software,
            geometry: inputs.geometry.name,
            datasetCode: binning.datasetCode,
            thresholdMeV: inputs.threshold.energy,
            seed: configuration.seed,
            metricsRequested: configuration.metrics.metrics.map(\.rawValue),
            inputs: EvaluationResult.Inputs(
                reference: files.reference.input, reference2: files.reference2?.input,
                generated: files.generated.map(\.input)),
            warnings: inputs.warnings + files.warnings + families.warnings,
            metrics: Dictionary(uniqueKeysWithValues: families.reports.map { ($0.key.rawValue, $0.value) }))
        result.timingsSeconds = timings
        result.segments = inputs.segment
        return result
    }
}
