import ArgumentParser
import CaloData
import CaloEval
import CaloModels
import Foundation
import Torch

/// `caloforge evaluate`: score generated showers against a Geant4 reference with the CaloChallenge
/// metrics and write metrics.json, summary.md and the official histogram_chi2 files.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score generated showers against a Geant4 reference with the CaloChallenge metrics.",
        discussion: """
            Reads the reference and each generated file in batches (the reference \
            twice when hist is selected), applies the official readout threshold \
            (voxels below 1 MeV for dataset 1, below 0.0151515 MeV for datasets 2 \
            and 3 read 0), computes the official high-level features, and scores \
            each generated file against the reference:

            hist   Separation power S = ½ Σ (p₁ − p₂)²/(p₁ + p₂) between histograms
                   of E_tot/E_inc, E_layer, centre and width of energy in η and φ
                   per layer, voxel energies and, for dataset 1, E_tot/E_inc per
                   incident energy, with the exact binning of the official
                   evaluate.py. S = 0 for identical histograms, 1 for histograms
                   that do not overlap. Good models reach a few 10⁻³ on full
                   datasets; the reference floor shows what statistics alone give.
                   Sparsity, EC r and width r are reported too, marked as helpers
                   evaluate.py does not call.
            pcc    Pearson correlations between layer energies, per file, and the
                   difference generated − reference, summarised by the largest and
                   the mean absolute difference. 0 = correlations reproduced.
            w1     1-Wasserstein distance between reference and generated
                   distributions of shower observables (hits, E_tot/E_inc, voxel
                   energies, longitudinal and radial energy groups, centres of
                   gravity), each standardised by the reference's mean and
                   standard deviation, as mean ± std over --w1-repetitions
                   subsamples of --w1-subsample-size events (CaloClouds II).
                   0 = identical.
            fpd, kpd
                   Fréchet and kernel physics distances between the high-level
                   feature sets (362 columns for dataset 2), as JetNet computes
                   them for evaluate.py, ×10³, with their uncertainties (FPD
                   extrapolated to infinite sample size; KPD median and 16–84 %
                   band). 0 = identical.
            prdc   Precision, recall, density and coverage (k = 5) of the generated
                   showers against the reference, on log voxel energies of every
                   event: all N² distances, in blocks on --device. Near the
                   reference floor = good; for ds2 the Geant4 floor is about
                   0.24 / 0.24 / 1.02 / 0.97.
            cls-low, cls-high, cls-low-normed
                   A deep neural network (3 × 2048, float64, 50 epochs) trained to
                   tell generated from reference showers, on voxels (low), the
                   high-level features (high) or voxels divided by their layer's
                   energy plus the layer energies (low-normed); calibrated AUC and
                   JSD on held-out events. AUC 0.5 = indistinguishable, 1 = always
                   told apart.
            cls-resnet
                   The official 3-D convolutional ResNet-18 on the voxels (ds2 and
                   ds3 only), trained like the DNN. Costly on a CPU: in float64 an
                   epoch on two 10 000-event ds2 files takes about 12 minutes on 2
                   cores, 50 epochs on the official 100 000-event files about 100
                   hours (--cls-dtype float32: about 4× less), see
                   docs/benchmarks.md; use --device cuda where there is a GPU.

            --metrics all runs everything above: evaluate.py's `all` (hist,             cls-low, fpd, kpd, prdc) plus pcc, w1, cls-high, cls-low-normed and             cls-resnet (skipped, with a note, for ds1).

            Lower is better for hist, pcc, w1, fpd, kpd and the classifiers' \
            JSD; AUC should approach 0.5.

            --reference2 (a second, \
            independent Geant4 file) is scored like a generated file: that floor \
            is what a perfect generator would get.

            Outputs in --out, each written to a temporary file, then renamed:
              metrics.json      every number, inputs, event counts, seed, versions
              summary.md        first the headline per generated file (classifier
                                AUCs, FPD, KPD, mean/largest/E_tot separation
                                power, PRDC, each with the reference floor and
                                the ratio to it, and a one-line reading), then
                                every metric × each generated file × floor
              histogram_chi2_<ds>.txt
                                separation powers in evaluate.py's format (with
                                several generated files one per file,
                                histogram_chi2_<ds>_<name>.txt, and
                                histogram_chi2_<ds>_reference2.txt for the floor)
              plots/            figures as SVG, and PNG when rsvg-convert is
                                installed (librsvg2-bin): a histogram with ratio
                                panel and separation powers for every observable,
                                mean longitudinal and radial profiles, centre and
                                width per layer, E_dep/E_inc versus E_inc,
                                correlation maps, mean shower images
              report.html       open in a browser: the headline, inputs, the full
                                table and every figure with a caption (with
                                --no-plots, without the figures)

            Long evaluations can be stopped and continued: Ctrl-C (or SIGTERM) \
            stops at the next safe point (between batches while reading, \
            between metrics, between the three PRDC passes, after a classifier \
            epoch) with exit status 130, and \
            finished work stays in <out>/partial; the same command with \
            --resume continues from there and gives the numbers of an \
            uninterrupted run. On two 100 000-event ds2 files, the metrics of \
            evaluate.py's `all` with pcc, w1 and cls-high take about 5 hours \
            on 2 CPU cores and need about 19 GB of memory; cls-low-normed \
            adds about as much as cls-low (≈ 2.7 h) and cls-resnet about 100 \
            hours in float64 (docs/benchmarks.md). The \
            saved work is checked against the inputs (paths, sizes, \
            modification times) and every setting that changes a number; \
            --device and --threads may differ. It is removed once the outputs \
            are written.

            The statistics behind the figures are gathered while the files are
            read for the metrics, so plots cost no extra pass over the data.

            Input checks the official script lacks, made on every input file \
            before any metric: NaN or infinite values, non-positive incident \
            energies and files without events are errors; incident_energies \
            must be (N, 1). --out is locked while the evaluation runs (.lock, \
            naming the process), so a second evaluation into it stops at once. \
            Event counts that differ from the reference's, incident \
            energies whose distribution differs from the reference's (two-sample \
            KS test at α = 0.001) and files left unfinished by an interrupted \
            writer are warnings, or errors with --strict. Negative voxels are set \
            to 0 by the threshold, as in evaluate.py, with a warning.

            Example:
              caloforge evaluate --reference dataset_2_2.hdf5 \\
                  --generated model.h5 --reference2 dataset_2_1.hdf5 \\
                  --metrics hist,pcc,w1 --seed 7 --out eval/
            """
    )

    @Option(help: ArgumentHelp("Reference (Geant4) CaloChallenge HDF5 file.", valueName: "file"))
    var reference: String

    @Option(help: ArgumentHelp("Generated CaloChallenge HDF5 file to score; repeat for several models.", valueName: "file"))
    var generated: [String] = []

    @Option(
        help: ArgumentHelp(
            "A second, independent reference file, scored like a generated file: the reference floor.", valueName: "file"))
    var reference2: String?

    @Option(
        help: ArgumentHelp(
            "Geometry: ds1-photons, ds1-pions, ds2, ds3, or a binning XML file (default: detected from the reference's voxel count).",
            valueName: "name"))
    var geometry: String?

    @Option(help: ArgumentHelp("Readout threshold in MeV (default: the official one for the geometry).", valueName: "MeV"))
    var threshold: Double?

    @Option(
        help: ArgumentHelp(
            "Metrics to run, comma-separated or repeated: \(Metric.selectionNames.joined(separator: ", ")) (default: all).",
            valueName: "list"),
        transform: MetricList.init(parsing:))
    var metrics: [MetricList] = [.all]

    @Option(help: "Seed of every random draw (W1 subsamples, voxel-energy samples).")
    var seed: UInt64 = 42

    @Option(help: "Events (and voxel energies) per W1 subsample, capped by the smaller file.")
    var w1SubsampleSize = 50_000

    @Option(help: "W1 repetitions; scores are mean ± std over them.")
    var w1Repetitions = 10

    @Option(help: "Events read per batch.")
    var batchSize = 1024

    @Option(help: "Training epochs of the classifier tests (official: 50).")
    var clsEpochs = 50

    @Option(help: "Independent classifier trainings; AUC and JSD are mean ± std over them (the paper used 10).")
    var clsRuns = 1

    @Option(help: "Depth of the cls-resnet network: 10, 18 (official), 34, 50, 101, 152 or 200.")
    var clsResnetLayers = 18

    @Option(help: ArgumentHelp(
        "Precision of every classifier: float64 is official, float32 about 8× faster for cls-resnet on a CPU.",
        valueName: "precision"))
    var clsDtype: ClassifierPrecision = .float64

    @OptionGroup var deviceOptions: DeviceOptions

    @Flag(help: "Treat input mismatches (event counts, incident energies, unfinished files) as errors.")
    var strict = false

    @Flag(help: "Do not show progress on stderr.")
    var noProgress = false

    @Flag(help: "Write no figures (metrics files and a report.html without figures only).")
    var noPlots = false

    @Flag(help: "Continue the unfinished evaluation saved in <out>/partial by an interrupted run.")
    var resume = false

    @Flag(help: "Discard an unfinished evaluation saved in <out>/partial and start again.")
    var restart = false

    @Option(help: ArgumentHelp("Output folder (created if missing).", valueName: "dir"))
    var out: String

    func validate() throws {
        if clsEpochs < 1 { throw ValidationError("--cls-epochs must be at least 1; got \(clsEpochs).") }
        if clsRuns < 1 { throw ValidationError("--cls-runs must be at least 1; got \(clsRuns).") }
        if ResNetClassifierArchitecture(depth: clsResnetLayers, imageShape: [1, 1, 1]).isSupported == false {
            throw ValidationError("--cls-resnet-layers \(clsResnetLayers) is not a ResNet depth; choose 10, 18, 34, 50, 101, 152 or 200.")
        }
        if generated.isEmpty {
            throw ValidationError("Give at least one --generated file to score against the reference.")
        }
        if let threshold, !(threshold.isFinite && threshold >= 0) {
            throw ValidationError("--threshold must be a non-negative number of MeV; got \(threshold).")
        }
        if w1SubsampleSize < 1 { throw ValidationError("--w1-subsample-size must be at least 1; got \(w1SubsampleSize).") }
        if w1Repetitions < 1 { throw ValidationError("--w1-repetitions must be at least 1; got \(w1Repetitions).") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1; got \(batchSize).") }
        if out.isEmpty { throw ValidationError("--out must name an output folder.") }
        if resume && restart { throw ValidationError("--resume and --restart exclude each other; pick one.") }
        if let reference2, Self.samePath(reference2, reference) {
            throw ValidationError(
                "--reference2 must be a different file from --reference; the floor compares two independent samples.")
        }
    }

    func run() throws {
        // The output folder is checked, created and locked first, so an unwritable --out or a second
        // run into it fails at once rather than after every metric.
        try OutputPath.checkFolder(out, option: "--out")
        let chosenGeometry = try geometry.map(resolveGeometry)
        if let chosenGeometry, threshold == nil, (try? ReadoutThreshold.official(for: chosenGeometry)) == nil {
            throw CommandError.noOfficialThreshold(geometry: chosenGeometry.name)
        }
        let device = try deviceOptions.resolve()
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        for name in Self.outputNames where OutputPath.isFolder(directory.appendingPathComponent(name).path) {
            throw CommandError.companionIsFolder(option: "--out", path: out, companion: directory.appendingPathComponent(name).path)
        }
        let lock = try OutputLock.acquire(folder: out, option: "--out", command: "evaluate")
        defer { lock.release() }
        let resumption = EvaluationResumption(
            directory: directory.appendingPathComponent("partial", isDirectory: true),
            shouldStop: { Interruption.shared.isRequested }, shouldStopReading: { Interruption.shared.isRequested })
        if resumption.hasSavedProgress {
            if restart {
                try resumption.discard()
            } else if !resume {
                throw CommandError.unfinishedEvaluation(folder: out, partial: resumption.directory.path)
            }
        } else if resume {
            FileHandle.standardError.write(Data("note: nothing to resume in \(resumption.directory.path); starting a new evaluation\n".utf8))
        }
        let configuration = EvaluationConfiguration(
            reference: reference, generated: generated, reference2: reference2,
            geometry: chosenGeometry,
            threshold: threshold.map { ReadoutThreshold(energy: $0) },
            metrics: MetricList.selection(of: metrics), seed: seed, batchSize: batchSize,
            w1: W1Settings(subsampleSize: w1SubsampleSize, repetitions: w1Repetitions),
            isStrict: strict,
            software: ["caloforge": CaloForgeVersion.string, "libtorch": Engine.compiledVersion, "swift": Self.swiftVersion],
            device: device, classifier: ClassifierSettings(
                epochs: clsEpochs, runs: clsRuns, resNetDepth: clsResnetLayers, dtype: clsDtype.dtype),
            includesFigureData: !noPlots, resumption: resumption)
        let display = EvaluationProgressDisplay(enabled: !noProgress)
        let partial = resumption.directory.path
        Interruption.shared.install(
            message: "stopping at the next safe point (between batches, metrics, PRDC passes or classifier epochs) and keeping finished work",
            quitMessage: {
                FileManager.default.fileExists(atPath: partial)
                    ? "interrupted again: quitting now; what was saved before stays in \(partial) for --resume"
                    : "interrupted again: quitting now; no metric had finished, so nothing was saved"
            })
        let result: EvaluationResult
        let figureData: EvaluationFigureData?
        do {
            try checkInputs(geometry: chosenGeometry, display: display)
            (result, figureData) = try Evaluation(configuration).runWithFigureData(progress: display.update)
        } catch EvaluationError.interrupted(let folder) {
            display.finish()
            FileHandle.standardError.write(Data(Self.interruptionNote(partial: folder).utf8))
            // Like any interrupted Unix command (128 + SIGINT).
            throw ExitCode(130)
        } catch CaloDataError.interrupted {
            display.finish()
            FileHandle.standardError.write(Data(Self.interruptionNote(partial: partial).utf8))
            throw ExitCode(130)
        }
        let files = try result.write(to: directory)
        let written = try EvaluationReport(result: result, figureData: figureData).write(to: directory, progress: display.update)
        display.finish()
        for warning in result.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        if let skipped = written.pngSkipped {
            FileHandle.standardError.write(Data("warning: \(skipped); figures are SVG only\n".utf8))
        }
        print("Wrote \(files.joined(separator: ", ")), report.html to \(out)")
        if written.svgCount > 0 {
            let formats = written.pngCount > 0 ? "SVG and PNG" : "SVG"
            print("Wrote \(written.svgCount) figures (\(formats)) to \(directory.appendingPathComponent("plots").path)")
        }
        print("Open \(written.report.path) in a browser to see the report.")
        if result.hasFailures {
            let failed = result.metrics.filter { $0.value.status == .failed }.keys.sorted()
            throw CommandError.metricsFailed(failed: failed, partial: resumption.directory.path)
        }
        try resumption.discard()
    }

    /// Files the evaluation writes into --out.
    static let outputNames = ["metrics.json", "summary.md", "report.html"]

    /// Opens every input and checks all its values (finite positive incident energies, finite voxels,
    /// at least one event) before any metric: a NaN stops the run in seconds, naming file and row.
    /// Negative voxels are allowed; the readout threshold zeroes them, as in evaluate.py.
    /// All files are opened (shapes, geometry against the reference's) before the first is scanned.
    func checkInputs(geometry: Geometry?, display: EvaluationProgressDisplay) throws {
        let inputs = [("--reference", reference)] + (reference2.map { [("--reference2", $0)] } ?? []) + generated.map { ("--generated", $0) }
        var readers: [CaloChallengeReader] = []
        for (option, path) in inputs {
            try OutputPath.checkInputFile(path, option: option, hint: "a CaloChallenge HDF5 file")
            readers.append(try CaloChallengeReader(path: path, geometry: readers.first?.geometry ?? geometry))
        }
        for reader in readers {
            let path = reader.path
            try reader.validateValues(
                allowingNegativeVoxels: true, shouldStop: { Interruption.shared.isRequested },
                progress: { display.update(EvaluationProgress(stage: "checking", file: path, completedEvents: $0, totalEvents: reader.eventCount)) })
        }
    }

    /// What an interrupted evaluation says: where its finished work is, or that there is none yet.
    static func interruptionNote(partial: String) -> String {
        guard FileManager.default.fileExists(atPath: partial) else {
            return "interrupted before any metric finished: nothing was saved; run the same command again to start over\n"
        }
        return "interrupted: finished work is kept in \(partial)\ncontinue with the same command and --resume\n"
    }

    static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath()
            == URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath()
    }

    static var swiftVersion: String {
        #if compiler(>=6.3)
            return "6.3"
        #elseif compiler(>=6.2)
            return "6.2"
        #elseif compiler(>=6.1)
            return "6.1"
        #else
            return "6.0"
        #endif
    }
}
