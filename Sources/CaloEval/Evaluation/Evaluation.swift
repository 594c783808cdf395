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
    /// The steps: check the settings, open and check every input (``openInputs()``), scan the files
    /// (``scanFiles(_:needs:progress:)``), run the selected metric families with resumption
    /// (``runFamilies(_:context:)``) and assemble the result (``assembleResult(_:files:families:)``).
    ///
    /// - Throws: as ``run(progress:)``.
    public func runWithFigureData(
        progress: @escaping (EvaluationProgress) -> Void = { _ in }
    ) throws -> (result: EvaluationResult, figureData: EvaluationFigureData?) {
        try checkSettings()
        let inputs = try openInputs()
        let selected = configuration.metrics
        let activeFamilies = families.filter { family in family.metrics.contains(where: selected.contains) }
        let needs = activeFamilies.reduce(ScanNeeds()) { $0.union($1.needs) }
        let files = try scanFiles(inputs, needs: needs, progress: progress)
        let context = EvaluationContext(
            configuration: configuration, geometry: inputs.geometry, threshold: inputs.threshold,
            reference: files.reference, reference2: files.reference2, generated: files.generated,
            histogramEdges: files.histogramEdges, progress: progress)
        let outcome = try runFamilies(activeFamilies, context: context)
        let result = assembleResult(inputs, files: files, families: outcome)
        guard configuration.includesFigureData else { return (result, nil) }
        progress(EvaluationProgress(stage: "metrics", file: "figure data", completedEvents: 0, totalEvents: 0))
        let figureData = try EvaluationFigureData(
            geometry: inputs.geometry, histogramEdges: files.histogramEdges, reference: files.reference,
            reference2: files.reference2, generated: files.generated)
        return (result, figureData)
    }

    /// Checks the settings that need no file.
    func checkSettings() throws {
        guard !configuration.generated.isEmpty else {
            throw EvaluationError.invalidArgument("no generated file to evaluate; pass at least one --generated file")
        }
        guard configuration.batchSize > 0 else {
            throw EvaluationError.invalidArgument("batch size \(configuration.batchSize) must be at least 1")
        }
        guard configuration.w1.subsampleSize >= 1, configuration.w1.repetitions >= 1 else {
            throw EvaluationError.invalidArgument("W1 subsample size and repetitions must be at least 1")
        }
    }

    /// Opens every input file and checks it against the reference (event counts, incident energies,
    /// unfinished files), and starts the resumption segment, so that a missing or mismatched file
    /// fails before any long pass. Mismatches are warnings, or errors with ``EvaluationConfiguration/isStrict``.
    func openInputs() throws -> OpenedInputs {
        let configuration = configuration
        // Open everything first, so that a missing or mismatched file fails before any long pass.
        let referenceReader = try CaloChallengeReader(path: configuration.reference, geometry: configuration.geometry)
        let geometry = referenceReader.geometry
        let threshold = try configuration.threshold ?? ReadoutThreshold.official(for: geometry)
        let reference2Reader = try configuration.reference2.map { try CaloChallengeReader(path: $0, geometry: geometry) }
        let generatedReaders = try configuration.generated.map { try CaloChallengeReader(path: $0, geometry: geometry) }
        let segment = try configuration.resumption?.begin(
            fingerprint: Self.fingerprint(configuration, geometry: geometry, threshold: threshold))

        let referenceEnergies = try referenceReader.incidentEnergies(0..<referenceReader.eventCount)
        var warnings: [String] = []
        func input(_ reader: CaloChallengeReader, role: EvaluationInput.Role, label: String) throws -> OpenedInputs.File {
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
            return OpenedInputs.File(reader: reader, input: input)
        }
        let labels = Self.labels(for: configuration.generated)
        let reference = try input(referenceReader, role: .reference, label: "reference")
        let reference2 = try reference2Reader.map { try input($0, role: .reference2, label: "reference2") }
        let generated = try zip(generatedReaders, labels).map { try input($0, role: .generated, label: $1) }
        return OpenedInputs(
            geometry: geometry, threshold: threshold, reference: reference, reference2: reference2, generated: generated,
            referenceEnergies: referenceEnergies, segment: segment, warnings: warnings)
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
            "classifier": configuration.classifier.summary,
            "generated files": "\(configuration.generated.count)",
        ]
        for (index, path) in configuration.generated.enumerated() { fingerprint["generated \(index + 1)"] = identity(path) }
        return fingerprint
    }

    static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
