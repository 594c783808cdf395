import CaloData

/// What the evaluation figures are drawn from, gathered while ``Evaluation`` read the files: for
/// each file its ``ShowerStatistics``, its histograms on the reference's separation-power edges and
/// its layer-energy correlation matrix. Plain numbers, Codable; the figures are built from it by
/// ``EvaluationReport`` without touching the files again.
public struct EvaluationFigureData: Sendable, Equatable, Codable {
    /// The statistics of one input file.
    public struct File: Sendable, Equatable, Codable {
        /// `reference`, `reference2` or the generated file's label (as in metrics.json).
        public var label: String
        public var role: EvaluationInput.Role
        /// Mean shower, per-layer moments, binned response.
        public var statistics: ShowerStatistics
        /// Histograms on ``EvaluationFigureData/histogramEdges``; the voxel-energy histogram only when
        /// `hist` was selected (it needs the reference's second pass).
        public var histograms: HistogramSet?
        /// Pearson correlations of the layer energies, relevant layers in increasing id order (spec §7.2).
        public var correlation: [[Double]]

        public init(
            label: String, role: EvaluationInput.Role, statistics: ShowerStatistics, histograms: HistogramSet?,
            correlation: [[Double]]
        ) {
            self.label = label
            self.role = role
            self.statistics = statistics
            self.histograms = histograms
            self.correlation = correlation
        }
    }

    public var geometry: Geometry
    /// The separation-power binnings taken from the reference (spec §4.5).
    public var histogramEdges: HistogramEdges?
    public var reference: File
    public var reference2: File?
    public var generated: [File]

    public init(
        geometry: Geometry, histogramEdges: HistogramEdges?, reference: File, reference2: File?, generated: [File]
    ) {
        self.geometry = geometry
        self.histogramEdges = histogramEdges
        self.reference = reference
        self.reference2 = reference2
        self.generated = generated
    }

    /// Assembles the figure data from the statistics of the scanned files, which must carry
    /// ``FileStatistics/showerStatistics``.
    ///
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` when a file was scanned without shower
    ///   statistics or its voxel histogram is on other edges.
    init(
        geometry: Geometry, histogramEdges: HistogramEdges?, reference: FileStatistics, reference2: FileStatistics?,
        generated: [FileStatistics]
    ) throws {
        func file(_ statistics: FileStatistics) throws -> File {
            guard let shower = statistics.showerStatistics else {
                throw EvaluationError.invalidArgument(
                    "figure data need the shower statistics of \(statistics.input.path); scan with .showerStatistics")
            }
            return File(
                label: statistics.input.label, role: statistics.input.role, statistics: shower,
                histograms: try histogramEdges.map {
                    try HistogramSet(edges: $0, features: statistics.features, voxelEnergies: statistics.voxelEnergies)
                },
                correlation: PearsonCorrelation.matrix(statistics.features.layers.map(\.energy)))
        }
        self.init(
            geometry: geometry, histogramEdges: histogramEdges, reference: try file(reference),
            reference2: try reference2.map(file), generated: try generated.map(file))
    }

    /// The reference, reference2 when present, then the generated files.
    public var files: [File] { [reference] + (reference2.map { [$0] } ?? []) + generated }
}
