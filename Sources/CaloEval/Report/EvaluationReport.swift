import CaloData
import Figures
import Foundation

/// The figures and the `report.html` of an evaluation: builds every figure from an
/// ``EvaluationResult`` (scores, separation powers) and its ``EvaluationFigureData`` (histograms,
/// mean showers, profiles, correlations), writes them as SVG (and PNG) into `plots/`, and writes a
/// page with the headline of every generated file, the inputs, the summary table and the figures in
/// sections.
///
/// Building figures (``plannedFigures()``) is pure; only ``write(to:png:rasterizer:parallelism:progress:)``
/// touches files.
public struct EvaluationReport: Sendable {
    /// The sections of the page, in order.
    public enum Section: Int, CaseIterable, Sendable {
        case energy, profiles, layerEnergies, shapes, voxels, correlations, showers

        /// The section heading.
        public var title: String {
            switch self {
            case .energy: return "Energy response"
            case .profiles: return "Longitudinal and radial profiles"
            case .layerEnergies: return "Energy per layer"
            case .shapes: return "Shower centres and widths"
            case .voxels: return "Voxel energies and sparsity"
            case .correlations: return "Layer-energy correlations"
            case .showers: return "Mean showers"
            }
        }

        /// What the section's figures have in common.
        var text: String {
            let histograms =
                "Histograms use the official separation-power binning (spec §4.5) and are normalised to unit area over the bin range. Grey filled: the reference; dashed grey: reference2 (an independent reference sample) when given; coloured: the generated files, each with its separation power S against the reference in the legend (0 = identical, 1 = no overlap; reference2's S is the floor statistics alone give). Lower panel: ratio to the reference, with a grey band of the reference's ±1σ statistical uncertainty (widened to include reference2). A good model stays inside the band with S close to the floor."
            switch self {
            case .energy:
                return "How much of the incident energy the showers deposit. " + histograms
            case .profiles:
                return
                    "Mean energy per layer and per radius, averaged over all events: where the energy goes along and across the shower. A good model follows the grey reference; the ratio panel shows the relative difference."
            case .layerEnergies:
                return "The distribution of the energy deposited in each layer, on log–log axes as evaluate.py draws them. "
                    + histograms
            case .shapes:
                return
                    "Centres of energy and shower widths per layer (spec §3): first the mean over events for every layer (error bars: standard error of the mean; grey band: the reference's shower-to-shower spread, ±1 standard deviation), then the distribution in each layer. EC r, width r and sparsity have helpers in evaluate_plotting_helper.py that evaluate.py never calls; their S are reported for completeness. "
                    + histograms
            case .voxels:
                return
                    "Voxel energies of all events pooled (above the readout threshold; the reference's histogram needs the metric hist, which reads the reference a second time), and per-layer sparsity, the fraction of voxels below the threshold. "
                    + histograms
            case .correlations:
                return
                    "Pearson correlation coefficients between the energies of every pair of layers (spec §7.2), for the reference and each file, and their difference. A good model's difference map is close to 0 everywhere (white); compare with reference2 − reference, which shows the statistical noise."
            case .showers:
                return
                    "Mean energy per voxel, drawn in the detector's polar geometry (η to the right, φ up), on one logarithmic colour scale per figure; white voxels are more than five decades below the brightest. A good model reproduces the reference's core, tails and any angular structure."
            }
        }
    }

    /// One figure of the report and where it goes.
    public struct PlannedFigure: Sendable {
        /// File name in `plots/` without extension.
        public var name: String
        public var section: Section
        /// The collapsible group inside the section (per-layer histograms), nil for a main figure.
        public var group: String?
        /// Caption: what the figure shows and what good looks like.
        public var caption: String
        public var figure: Figure
    }

    /// What ``write(to:png:rasterizer:parallelism:progress:)`` wrote.
    public struct Output: Sendable, Equatable {
        /// `report.html`.
        public var report: URL
        /// SVG files written into `plots/`.
        public var svgCount: Int
        /// PNG files written beside them.
        public var pngCount: Int
        /// Why no PNGs were written (the rasterizer is missing), if so.
        public var pngSkipped: String?
    }

    public var result: EvaluationResult
    /// The figure data; nil writes a report with the summary only.
    public var figureData: EvaluationFigureData?
    /// For geometries with more than ``maximumImageLayers`` relevant layers, every this many layers
    /// get a mean-shower figure (plus the layer of maximum mean energy).
    public var imageLayerStride = 5
    /// Geometries with at most this many relevant layers (dataset 1) get a mean-shower figure for
    /// every layer.
    public var maximumImageLayers = 12
    /// The most voxels one overview figure draws (every voxel is an SVG path): beyond it (dataset 3)
    /// the overview shows the same layer subset as the per-layer figures.
    public var maximumOverviewVoxels = 10_000

    public init(result: EvaluationResult, figureData: EvaluationFigureData?) {
        self.result = result
        self.figureData = figureData
    }

    /// The label shown for a file in legends and panel titles.
    static func displayLabel(_ file: EvaluationFigureData.File) -> String {
        file.label
    }

    /// A file name made of letters, digits, `.`, `_` and `-` only.
    static func safeName(_ text: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let name = String(text.map { allowed.contains($0) ? $0 : "_" })
        return name.isEmpty ? "file" : name
    }

    /// Every figure, in page order, with unique file names. Empty without figure data.
    public func plannedFigures() -> [PlannedFigure] {
        guard let data = figureData else { return [] }
        var figures = energyFigures(data) + profileFigures(data) + histogramFigures(data, section: .layerEnergies)
        // The voxel-energy histogram before the sparsity summary; per-layer histograms go into groups,
        // which the page shows after a section's main figures.
        figures += histogramFigures(data, section: .voxels) + layerStatisticsFigures(data)
        figures += histogramFigures(data, section: .shapes) + correlationFigures(data) + showerFigures(data)
        // Sections in page order, figures within a section in the order built.
        figures = Section.allCases.flatMap { section in figures.filter { $0.section == section } }
        var used: Set<String> = []
        for index in figures.indices {
            var name = figures[index].name
            var counter = 2
            while used.contains(name) {
                name = "\(figures[index].name)-\(counter)"
                counter += 1
            }
            used.insert(name)
            figures[index].name = name
        }
        return figures
    }

    /// The page, given the figures and the path of each one's SVG relative to the page.
    public func htmlReport(figures: [(planned: PlannedFigure, path: String)]) -> HTMLReport {
        var sections: [ReportSection] = []
        for section in Section.allCases {
            let members = figures.filter { $0.planned.section == section }
            guard !members.isEmpty else { continue }
            func reportFigure(_ entry: (planned: PlannedFigure, path: String)) -> ReportFigure {
                ReportFigure(source: .file(entry.path), caption: entry.planned.caption, width: entry.planned.figure.width)
            }
            var groupTitles: [String] = []
            for entry in members {
                if let group = entry.planned.group, !groupTitles.contains(group) { groupTitles.append(group) }
            }
            let groups = groupTitles.map { title in
                let groupFigures = members.filter { $0.planned.group == title }.map(reportFigure)
                return ReportFigureGroup(title: title, figures: groupFigures, isCollapsed: groupFigures.count > 8)
            }
            sections.append(
                ReportSection(
                    title: section.title, text: section.text,
                    figures: members.filter { $0.planned.group == nil }.map(reportFigure), groups: groups))
        }
        var subtitle = "Created \(result.createdAt)"
        if let version = result.software["caloforge"] { subtitle += " by caloforge \(version)" }
        return HTMLReport(
            title: "CaloForge evaluation: \(result.geometry) (dataset \(result.datasetCode))", subtitle: subtitle,
            headlines: result.headlines.map { ReportSection(title: "Headline: \($0.label)", text: "Reading: \($0.reading)", tables: [$0.table]) },
            headlineText: EvaluationResult.headlineExplanation, inputs: inputs, summary: result.summaryTable, summaryText: EvaluationResult.summaryExplanation,
            warnings: result.warnings, sections: sections)
    }

    /// The "Inputs" list: files with event counts, geometry, threshold, seed, metrics, versions.
    var inputs: [ReportInput] {
        func file(_ input: EvaluationInput) -> String { "\(input.path) (\(input.events) events)" }
        var lines = [ReportInput("reference", file(result.inputs.reference))]
        lines.append(
            ReportInput("reference2", result.inputs.reference2.map(file) ?? "none (pass --reference2 for a reference floor)"))
        for input in result.inputs.generated { lines.append(ReportInput("generated: \(input.label)", file(input))) }
        var geometry = "\(result.geometry) (evaluate.py dataset \(result.datasetCode))"
        if let data = figureData {
            let layers = data.geometry.relevantLayers.count
            geometry += "; \(layers) layers with voxels, \(data.geometry.voxelCount) voxels"
        }
        lines.append(ReportInput("geometry", geometry))
        lines.append(ReportInput("readout threshold", "\(result.thresholdMeV) MeV (voxels below it read 0)"))
        lines.append(ReportInput("seed", "\(result.seed)"))
        lines.append(ReportInput("metrics requested", result.metricsRequested.joined(separator: ", ")))
        let software = result.software.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append(ReportInput("software", software))
        return lines
    }

    /// Writes the figures into `directory/plots/` (SVG, and PNG as `png` asks) and
    /// `directory/report.html` (atomically, last, so the page never links to a missing figure).
    ///
    /// - Parameters:
    ///   - parallelism: PNG converters run at once.
    ///   - progress: stage `plots`, file `SVG` or `PNG`, figures done and total.
    /// - Throws: ``EvaluationError/cannotWrite(path:reason:)`` when the folder or `report.html` cannot be
    ///   written, `FigureError` when a figure cannot be written or, with `png: .required`, when the
    ///   rasterizer is missing or fails.
    @discardableResult
    public func write(
        to directory: URL, png: PNGExport = .ifAvailable, rasterizer: SVGRasterizer = SVGRasterizer(),
        parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (EvaluationProgress) -> Void = { _ in }
    ) throws -> Output {
        let planned = plannedFigures()
        let plots = directory.appendingPathComponent("plots", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: planned.isEmpty ? directory : plots, withIntermediateDirectories: true)
        } catch {
            throw EvaluationError.cannotWrite(path: plots.path, reason: (error as NSError).localizedDescription)
        }
        var pngSkipped: String?
        var pngJobs: [(svg: URL, png: URL)] = []
        for (index, figure) in planned.enumerated() {
            let saved = try figure.figure.save(in: plots, name: figure.name, png: .never)
            pngJobs.append((saved.svg, plots.appendingPathComponent("\(figure.name).png")))
            progress(EvaluationProgress(stage: "plots", file: "SVG", completedEvents: index + 1, totalEvents: planned.count, unit: "figures"))
        }
        switch png {
        case .never:
            pngJobs = []
        case .ifAvailable where !rasterizer.isAvailable:
            if !planned.isEmpty { pngSkipped = FigureError.rasterizerMissing(executable: rasterizer.executable).description }
            pngJobs = []
        case .ifAvailable, .required:
            try rasterizer.convert(pngJobs, parallelism: parallelism) { done in
                progress(EvaluationProgress(stage: "plots", file: "PNG", completedEvents: done, totalEvents: pngJobs.count, unit: "figures"))
            }
        }
        let page = htmlReport(figures: planned.map { ($0, "plots/\($0.name).svg") })
        let report = directory.appendingPathComponent("report.html")
        try page.write(to: report)
        return Output(report: report, svgCount: planned.count, pngCount: pngJobs.count, pngSkipped: pngSkipped)
    }
}
