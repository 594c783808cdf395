import CaloData
import Foundation

/// The statistics of every input file, gathered in one pass over each (``Evaluation/scanFiles(_:needs:progress:)``).
struct ScannedFiles {
    let reference: FileStatistics
    let reference2: FileStatistics?
    let generated: [FileStatistics]
    /// Separation-power edges derived from the reference (with `hist` or the figures).
    let histogramEdges: HistogramEdges?
    /// One warning per file with negative voxels.
    let warnings: [String]
    /// Wall-clock seconds spent reading.
    let readingSeconds: Double
}

extension Evaluation {
    /// Streams each file once through CaloData's features, gathering what `needs` and the figures
    /// ask for; the reference is read twice when the voxel-energy histogram is needed, since its
    /// binning ends at the reference's own maximum.
    func scanFiles(
        _ inputs: OpenedInputs, needs familyNeeds: ScanNeeds, progress: @escaping (EvaluationProgress) -> Void
    ) throws -> ScannedFiles {
        let configuration = configuration
        var needs = familyNeeds
        var responseEdges: [Double]?
        if configuration.includesFigureData {
            needs.insert(.showerStatistics)
            let edges = BinnedResponse.incidentEnergyEdges(for: inputs.referenceEnergies)
            responseEdges = edges.isEmpty ? nil : edges
        }
        let cellCapacity = Swift.min(configuration.w1.subsampleSize * configuration.w1.repetitions, 5_000_000)
        let cellSeed = configuration.seed ^ 0x5EED_CE11
        func scanner(_ reader: CaloChallengeReader) -> ShowerScanner {
            ShowerScanner(
                reader: reader, threshold: inputs.threshold, batchSize: configuration.batchSize,
                resumption: configuration.resumption)
        }
        func report(_ stage: String, _ input: EvaluationInput, _ done: Int) {
            progress(EvaluationProgress(stage: stage, file: input.label, completedEvents: done, totalEvents: input.events))
        }
        func scan(_ file: OpenedInputs.File, voxelEdges: [Double]?) throws -> FileStatistics {
            try scanner(file.reader).scan(
                input: file.input, needs: needs, voxelEdges: voxelEdges, cellCapacity: cellCapacity, seed: cellSeed,
                responseEdges: responseEdges, progress: { report("features", file.input, $0) })
        }

        let readingStart = Date()
        var reference = try scan(inputs.reference, voxelEdges: nil)
        var histogramEdges: HistogramEdges?
        // The figures draw the histograms even without `hist`; only the voxel-energy histogram, which
        // costs a second pass over the reference, is left to `hist`.
        if configuration.metrics.contains(.hist) || configuration.includesFigureData {
            let binning = HistogramBinning(geometry: inputs.geometry, threshold: inputs.threshold)
            let edges = HistogramEdges(
                binning: binning, geometry: inputs.geometry, referenceFeatures: reference.features,
                maximumVoxelEnergy: reference.maximumVoxelEnergy)
            if needs.contains(.voxelEnergyHistogram), let voxelEdges = edges.voxelEnergyEdges {
                reference.voxelEnergies = try scanner(inputs.reference.reader).voxelEnergyHistogram(
                    edges: voxelEdges, progress: { report("voxel histogram", inputs.reference.input, $0) })
            }
            histogramEdges = edges
        }
        let voxelEdges = needs.contains(.voxelEnergyHistogram) ? histogramEdges?.voxelEnergyEdges : nil
        let reference2 = try inputs.reference2.map { try scan($0, voxelEdges: voxelEdges) }
        let generated = try inputs.generated.map { try scan($0, voxelEdges: voxelEdges) }
        var warnings: [String] = []
        for file in [reference] + (reference2.map { [$0] } ?? []) + generated {
            if let negative = file.input.negativeVoxels, negative > 0 {
                warnings.append(
                    "\(file.input.path): \(negative) negative voxel values; the readout threshold set them to 0, as evaluate.py does"
                )
            }
        }
        return ScannedFiles(
            reference: reference, reference2: reference2, generated: generated, histogramEdges: histogramEdges,
            warnings: warnings, readingSeconds: Date().timeIntervalSince(readingStart))
    }
}
