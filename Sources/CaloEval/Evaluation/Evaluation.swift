import CaloData
import Foundation
import Torch

/// What to evaluate and how.
public struct EvaluationConfiguration: Sendable {
    /// The Geant4 reference file (spec/calochallenge.md §1).
    public var reference: String
    /// One or more generated files, scored against the reference one by one.
    public var generated: [String]
    /// An optional second reference, scored like a generated file: the reference-vs-reference floor.
    public var reference2: String?
    /// The geometry; nil detects it from the reference's voxel count.
    public var geometry: Geometry?
    /// The readout threshold; nil takes the official one for the geometry (§4.4).
    public var threshold: ReadoutThreshold?
    public var metrics: MetricSelection
    /// Seed of every random draw (W1 subsamples and cell-energy samples).
    public var seed: UInt64
    /// Events read per batch.
    public var batchSize: Int
    public var w1: W1Settings
    /// Turn input mismatches (event counts, incident energies, unfinished files) into errors.
    public var isStrict: Bool
    /// Software versions to record (the caller's; the HDF5 version is added).
    public var software: [String: String]
    /// Where the engine-heavy metrics (FPD/KPD, PRDC, classifiers) compute.
    public var device: Device
    /// Settings of the classifier tests (cls-low, cls-high).
    public var classifier: ClassifierSettings
    /// Also gather what the figures need (``EvaluationFigureData``) while the files are read: mean
    /// showers, per-layer feature moments, binned response, histograms on the reference's edges.
    /// Costs no extra pass over any file.
    public var includesFigureData: Bool
    /// Where to save progress so that an interrupted evaluation can resume (nil: nothing is saved).
    /// The caller removes it after writing the outputs (``EvaluationResumption/discard()``).
    public var resumption: EvaluationResumption?

    public init(
        reference: String, generated: [String], reference2: String? = nil, geometry: Geometry? = nil,
        threshold: ReadoutThreshold? = nil, metrics: MetricSelection = .all, seed: UInt64 = 42, batchSize: Int = 1024,
        w1: W1Settings = W1Settings(), isStrict: Bool = false, software: [String: String] = [:], device: Device = .cpu,
        classifier: ClassifierSettings = ClassifierSettings(), includesFigureData: Bool = false,
        resumption: EvaluationResumption? = nil
    ) {
        self.resumption = resumption
        self.device = device
        self.classifier = classifier
        self.reference = reference
        self.generated = generated
        self.reference2 = reference2
        self.geometry = geometry
        self.threshold = threshold
        self.metrics = metrics
        self.seed = seed
        self.batchSize = batchSize
        self.w1 = w1
        self.isStrict = isStrict
        self.software = software
        self.includesFigureData = includesFigureData
    }
}

/// Progress of a running evaluation: which file, which pass, how many events are done.
public struct EvaluationProgress: Sendable, Equatable {
    /// `features` (the main pass), `voxel histogram` (the reference's second pass), `metrics` (a
    /// family starts), `prdc` (its distance passes), `classifier` (training epochs) or `plots`.
    public var stage: String
    /// Label of the file being read, or what is being computed.
    public var file: String
    public var completedEvents: Int
    public var totalEvents: Int
    /// What ``completedEvents`` counts: `events`, `passes`, `epochs`, `figures`, or within a PRDC pass
    /// `distances` (radii) or `rows` (cross distances).
    public var unit: String

    public init(stage: String, file: String, completedEvents: Int, totalEvents: Int, unit: String = "events") {
        self.stage = stage
        self.file = file
        self.completedEvents = completedEvents
        self.totalEvents = totalEvents
        self.unit = unit
    }
}

/// The evaluation orchestrator: opens and checks the inputs, streams each file once through CaloData's
/// features (the reference twice when the voxel-energy histogram is selected, since its binning ends at
/// the reference's own maximum), then runs every selected ``MetricFamily`` and collects an
/// ``EvaluationResult``. File output is separate (``EvaluationResult/write(to:)``).
public struct Evaluation: Sendable {
    public var configuration: EvaluationConfiguration
    /// The metric families available; selected metrics none of them provides are reported "not run".
    public var families: [any MetricFamily]

    public init(_ configuration: EvaluationConfiguration, families: [any MetricFamily] = BuiltInMetricFamilies.all) {
        self.configuration = configuration
        self.families = families
    }

    /// Runs the evaluation.
    ///
    /// - Throws: CaloData's errors for missing, corrupt or mismatched files (geometry, shapes),
    ///   `CaloDataError.invalidValues` for NaN/infinite values, ``EvaluationError`` for bad settings and,
    ///   with ``EvaluationConfiguration/isStrict``, for input mismatches. A metric family that fails is
    ///   reported as `failed` in the result instead of throwing.
    public func run(progress: @escaping (EvaluationProgress) -> Void = { _ in }) throws -> EvaluationResult {
        try runWithFigureData(progress: progress).result
    }

    /// Runs the evaluation as ``run(progress:)`` does and also returns the figure data, gathered in
    /// the same passes over the files (nil unless ``EvaluationConfiguration/includesFigureData``).
    ///
    /// - Throws: as ``run(progress:)``.
    public func runWithFigureData(
        progress: @escaping (EvaluationProgress) -> Void = { _ in }
    ) throws -> (result: EvaluationResult, figureData: EvaluationFigureData?) {
        let configuration = configuration
        guard !configuration.generated.isEmpty else {
            throw EvaluationError.invalidArgument("no generated file to evaluate; pass at least one --generated file")
        }
        guard configuration.batchSize > 0 else {
            throw EvaluationError.invalidArgument("batch size \(configuration.batchSize) must be at least 1")
        }
        guard configuration.w1.subsampleSize >= 1, configuration.w1.repetitions >= 1 else {
            throw EvaluationError.invalidArgument("W1 subsample size and repetitions must be at least 1")
        }

        // Open everything first, so that a missing or mismatched file fails before any long pass.
        let referenceReader = try CaloChallengeReader(path: configuration.reference, geometry: configuration.geometry)
        let geometry = referenceReader.geometry
        let threshold = try configuration.threshold ?? ReadoutThreshold.official(for: geometry)
        let reference2Reader = try configuration.reference2.map { try CaloChallengeReader(path: $0, geometry: geometry) }
        let generatedReaders = try configuration.generated.map { try CaloChallengeReader(path: $0, geometry: geometry) }
        let resumption = configuration.resumption
        let segment = try resumption?.begin(fingerprint: Self.fingerprint(configuration, geometry: geometry, threshold: threshold))

        let referenceEnergies = try referenceReader.incidentEnergies(0..<referenceReader.eventCount)
        var warnings: [String] = []
        func input(_ reader: CaloChallengeReader, role: EvaluationInput.Role, label: String) throws -> EvaluationInput {
            var input = EvaluationInput(
                role: role, label: label, path: Self.absolutePath(reader.path), events: reader.eventCount,
                isComplete: reader.isComplete)
            var problems: [String] = []
            if !reader.isComplete { problems.append("the file was not finished by its writer (an interrupted run)") }
            if role != .reference {
                let check = IncidentEnergyCheck(
                    energies: try reader.incidentEnergies(0..<reader.eventCount), reference: referenceEnergies)
                input.incidentEnergies = check
                if role == .generated, reader.eventCount != referenceReader.eventCount {
                    problems.append(
                        "it has \(reader.eventCount) events but the reference has \(referenceReader.eventCount); the official classifier needs equal counts"
                    )
                }
                if !check.agrees {
                    problems.append(
                        String(
                            format:
                                "its incident-energy distribution differs from the reference's (KS distance %.4g > %.4g at α = 0.001); generate one shower per reference E_inc",
                            check.ksDistance, check.ksCritical))
                }
            }
            for problem in problems {
                if configuration.isStrict { throw EvaluationError.inputMismatch(path: reader.path, problem: problem) }
                warnings.append("\(reader.path): \(problem)")
            }
            return input
        }
        let labels = Self.labels(for: configuration.generated)
        let referenceInput = try input(referenceReader, role: .reference, label: "reference")
        let reference2Input = try reference2Reader.map { try input($0, role: .reference2, label: "reference2") }
        let generatedInputs = try zip(generatedReaders, labels).map { try input($0, role: .generated, label: $1) }

        // What to gather while reading.
        let selected = configuration.metrics
        let activeFamilies = families.filter { family in family.metrics.contains(where: selected.contains) }
        var needs = activeFamilies.reduce(ScanNeeds()) { $0.union($1.needs) }
        var responseEdges: [Double]?
        if configuration.includesFigureData {
            needs.insert(.showerStatistics)
            let edges = BinnedResponse.incidentEnergyEdges(for: referenceEnergies)
            responseEdges = edges.isEmpty ? nil : edges
        }
        let cellCapacity = Swift.min(configuration.w1.subsampleSize * configuration.w1.repetitions, 5_000_000)
        let cellSeed = configuration.seed ^ 0x5EED_CE11
        func scanner(_ reader: CaloChallengeReader) -> ShowerScanner {
            ShowerScanner(reader: reader, threshold: threshold, batchSize: configuration.batchSize, resumption: resumption)
        }
        func report(_ stage: String, _ input: EvaluationInput, _ done: Int) {
            progress(EvaluationProgress(stage: stage, file: input.label, completedEvents: done, totalEvents: input.events))
        }

        var timings: [String: Double] = [:]
        let readingStart = Date()
        var reference = try scanner(referenceReader).scan(
            input: referenceInput, needs: needs, voxelEdges: nil, cellCapacity: cellCapacity, seed: cellSeed,
            responseEdges: responseEdges, progress: { report("features", referenceInput, $0) })
        var histogramEdges: HistogramEdges?
        // The figures draw the histograms even without `hist`; only the voxel-energy histogram, which
        // costs a second pass over the reference, is left to `hist`.
        if selected.contains(.hist) || configuration.includesFigureData {
            let binning = HistogramBinning(geometry: geometry, threshold: threshold)
            let edges = HistogramEdges(
                binning: binning, geometry: geometry, referenceFeatures: reference.features,
                maximumVoxelEnergy: reference.maximumVoxelEnergy)
            if needs.contains(.voxelEnergyHistogram), let voxelEdges = edges.voxelEnergyEdges {
                reference.voxelEnergies = try scanner(referenceReader).voxelEnergyHistogram(
                    edges: voxelEdges, progress: { report("voxel histogram", referenceInput, $0) })
            }
            histogramEdges = edges
        }
        let voxelEdges = needs.contains(.voxelEnergyHistogram) ? histogramEdges?.voxelEnergyEdges : nil
        var reference2: FileStatistics?
        if let reader = reference2Reader, let input = reference2Input {
            reference2 = try scanner(reader).scan(
                input: input, needs: needs, voxelEdges: voxelEdges, cellCapacity: cellCapacity, seed: cellSeed,
                responseEdges: responseEdges, progress: { report("features", input, $0) })
        }
        let generated = try zip(generatedReaders, generatedInputs).map { reader, input in
            try scanner(reader).scan(
                input: input, needs: needs, voxelEdges: voxelEdges, cellCapacity: cellCapacity, seed: cellSeed,
                responseEdges: responseEdges, progress: { report("features", input, $0) })
        }
        for file in [reference] + (reference2.map { [$0] } ?? []) + generated {
            if let negative = file.input.negativeVoxels, negative > 0 {
                warnings.append(
                    "\(file.input.path): \(negative) negative voxel values; the readout threshold set them to 0, as evaluate.py does"
                )
            }
        }

        timings["reading"] = Date().timeIntervalSince(readingStart)
        let context = EvaluationContext(
            configuration: configuration, geometry: geometry, threshold: threshold, reference: reference,
            reference2: reference2, generated: generated, histogramEdges: histogramEdges, progress: progress)
        var reports: [Metric: MetricReport] = [:]
        for family in activeFamilies {
            let key = family.metrics.map(\.rawValue).joined(separator: "+")
            if let resumption, let saved = try resumption.finished(family: key) {
                for (metric, report) in saved.reports where selected.contains(metric) { reports[metric] = report }
                timings[key] = saved.seconds
                continue
            }
            if let resumption, resumption.shouldStop() {
                throw EvaluationError.interrupted(resumeFrom: resumption.directory.path)
            }
            progress(
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
                reports.merge(familyReports) { $1 }
                let seconds = resumption?.elapsedSeconds(family: key) ?? Date().timeIntervalSince(familyStart)
                timings[key] = seconds
                try resumption?.finish(family: key, reports: familyReports, seconds: seconds)
            } catch EvaluationError.interrupted(let folder) {
                resumption?.recordTime()
                throw EvaluationError.interrupted(resumeFrom: resumption?.directory.path ?? folder)
            } catch {
                timings[key] = Date().timeIntervalSince(familyStart)
                for metric in family.metrics where selected.contains(metric) {
                    reports[metric] = MetricReport(status: .failed, reason: "\(error)", explanation: metric.explanation)
                    warnings.append("metric \(metric.rawValue) failed: \(error)")
                }
            }
        }
        for metric in Metric.allCases where reports[metric] == nil {
            let reason =
                selected.contains(metric)
                ? "not available in this build (no metric family provides \(metric.rawValue) yet)"
                : "not requested (select it with --metrics \(metric.rawValue) or all)"
            reports[metric] = .notRun(metric, reason: reason)
        }

        var software = configuration.software
        software["hdf5"] = HDF5Library.version
        let binning = HistogramBinning(geometry: geometry, threshold: threshold)
        var result = EvaluationResult(
            createdAt: ISO8601DateFormatter().string(from: Date()),
            software: software,
            geometry: geometry.name,
            datasetCode: binning.datasetCode,
            thresholdMeV: threshold.energy,
            seed: configuration.seed,
            metricsRequested: selected.metrics.map(\.rawValue),
            inputs: EvaluationResult.Inputs(
                reference: reference.input, reference2: reference2?.input, generated: generated.map(\.input)),
            warnings: warnings,
            metrics: Dictionary(uniqueKeysWithValues: reports.map { ($0.key.rawValue, $0.value) }))
        result.timingsSeconds = timings
        result.segments = segment
        guard configuration.includesFigureData else { return (result, nil) }
        progress(EvaluationProgress(stage: "metrics", file: "figure data", completedEvents: 0, totalEvents: 0))
        let figureData = try EvaluationFigureData(
            geometry: geometry, histogramEdges: histogramEdges, reference: reference, reference2: reference2,
            generated: generated)
        return (result, figureData)
    }

    /// Labels of generated files: the file name without extension, made unique with `-2`, `-3`, …,
    /// and never `reference` or `reference2`.
    static func labels(for paths: [String]) -> [String] {
        var used: Set<String> = ["reference", "reference2"]
        return paths.map { path in
            let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            var label = stem.isEmpty ? "generated" : stem
            var counter = 2
            while used.contains(label) {
                label = "\(stem)-\(counter)"
                counter += 1
            }
            used.insert(label)
            return label
        }
    }

    /// What saved progress must agree on to be reused: every input file (path, size, modification
    /// time) and every setting that changes a number. Device, threads, plots and progress display
    /// are left out, so a CPU run can be finished on a GPU.
    static func fingerprint(_ configuration: EvaluationConfiguration, geometry: Geometry, threshold: ReadoutThreshold)
        -> [String: String]
    {
        func identity(_ path: String) -> String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(absolutePath(path)) (\(size) bytes, modified \(modified))"
        }
        var fingerprint = [
            "reference": identity(configuration.reference),
            "reference2": configuration.reference2.map(identity) ?? "none",
            "geometry": geometry.name,
            "threshold MeV": "\(threshold.energy)",
            "metrics": configuration.metrics.metrics.map(\.rawValue).joined(separator: ","),
            "seed": "\(configuration.seed)",
            "w1": "\(configuration.w1.subsampleSize) × \(configuration.w1.repetitions)",
            "classifier": "\(configuration.classifier.epochs) epochs × \(configuration.classifier.runs) runs",
            "generated files": "\(configuration.generated.count)",
        ]
        for (index, path) in configuration.generated.enumerated() { fingerprint["generated \(index + 1)"] = identity(path) }
        return fingerprint
    }

    static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
