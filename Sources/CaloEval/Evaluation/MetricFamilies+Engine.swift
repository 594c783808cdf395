import CaloData
import Foundation
import Torch

/// Settings of the classifier tests of `caloforge evaluate` (spec/calochallenge.md §5).
public struct ClassifierSettings: Sendable, Equatable, Codable {
    /// Training epochs (official: 50).
    public var epochs: Int
    /// Independent trainings averaged (the paper: 10; evaluate.py: 1).
    public var runs: Int

    public init(epochs: Int = 50, runs: Int = 1) {
        self.epochs = epochs
        self.runs = runs
    }
}

/// The split sizes for `events` events per class: the official ones when the files are large enough,
/// else the same 60 % / 20 % / 20 % proportions (noted in the report).
func classifierSplitSizes(for geometry: Geometry, events: Int) -> (sizes: ClassifierSplitSizes, note: String?) {
    if let official = try? ClassifierSplitSizes.official(for: geometry), official.train + 2 * official.test <= events {
        return (official, nil)
    }
    let train = events * 3 / 5
    let test = events / 5
    return (ClassifierSplitSizes(train: train, test: test),
            "files hold \(events) events per class, fewer than the official split needs; used \(train) / \(test) / \(events - train - test)")
}

/// Reads a file in batches and fills one `[events, width]` float64 tensor on `device` with
/// `transform(showers, incidentEnergies)` of each batch (showers `[n, voxels]` float32, energies
/// `[n, 1]` float64, on the CPU), so that the file exists in memory once: a 100 000-event ds2
/// file is 5.2 GB in float64, and transforming it whole would need several copies at once.
func loadTransformed(
    _ path: String, geometry: Geometry, limit: Int? = nil, width: Int, device: Device, batchSize: Int = 4096,
    transform: (Tensor, Tensor) throws -> Tensor
) throws -> Tensor {
    let reader = try CaloChallengeReader(path: path, geometry: geometry)
    let count = Swift.min(limit ?? reader.eventCount, reader.eventCount)
    let result = try Tensor.empty([count, width], dtype: .float64, device: device)
    for start in stride(from: 0, to: count, by: batchSize) {
        let length = Swift.min(batchSize, count - start)
        let showers = try Tensor(try reader.showers(start..<(start + length)), shape: [length, geometry.voxelCount])
        let energies = try Tensor(try reader.incidentEnergies(start..<(start + length)), shape: [length, 1])
        try result.narrowed(dim: 0, start: start, length: length).copy_(try transform(showers, energies).to(device))
    }
    return result
}

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

    private func loadScores(_ url: URL) throws -> [ClassifierScore]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do { return try JSONDecoder().decode([ClassifierScore].self, from: Data(contentsOf: url)) } catch {
            throw EvaluationError.cannotResume(path: url.path, reason: "it cannot be read (\(error))")
        }
    }
}

/// `prdc`: precision, recall, density and coverage (k = 5) on the log-transformed voxel vectors
/// (spec/calochallenge.md §7.1), with blocked nearest-neighbour searches on the configured device.
public struct PRDCFamily: MetricFamily {
    public init() {}
    public var metrics: [Metric] { [.prdc] }
    public var needs: ScanNeeds { [] }

    public func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
        let device = context.configuration.device
        let configuration = PRDCConfiguration.caloChallenge
        func points(_ path: String) throws -> Tensor {
            try loadTransformed(path, geometry: context.geometry, width: context.geometry.voxelCount, device: device) { showers, _ in
                try prdcLogTransformed(showers.maskedFill(try showers .< context.threshold.energy, 0))
            }
        }
        // With a resumption folder, each of the three passes over N² distances (reference radii,
        // generated radii, cross distances) is saved when done, so an interrupted run loses at most one.
        let folder = context.resumption.map { $0.folder(family: "prdc") }
        func stopIfAsked() throws {
            if let resumption = context.resumption, resumption.shouldStop() {
                resumption.recordTime()
                throw EvaluationError.interrupted(resumeFrom: resumption.directory.path)
            }
        }
        func radii(of points: Tensor, name: String) throws -> Tensor {
            let url = folder?.appendingPathComponent("\(name)-radii.safetensors")
            if let url, FileManager.default.fileExists(atPath: url.path) {
                do {
                    if let saved = try Safetensors.load(url).tensors["radii"], saved.shape == [points.dim(0)] {
                        return try saved.to(device)
                    }
                } catch {}
                throw EvaluationError.cannotResume(path: url.path, reason: "it holds no radii for \(points.dim(0)) points")
            }
            let radii = try nearestNeighbourRadii(
                points, nearestK: configuration.nearestK, maxBlockElements: configuration.maxBlockElements,
                dtype: configuration.dtype
            ) { done, total in
                context.progress(EvaluationProgress(stage: "prdc", file: "\(name) radii", completedEvents: done, totalEvents: total, unit: "distances"))
            }
            if let url, let folder {
                try createFolder(folder)
                try Safetensors.save(["radii": radii.to(.cpu)], to: url)
                context.resumption?.recordTime()
            }
            try stopIfAsked()
            return radii
        }
        func load(_ url: URL?) throws -> PRDCScores? {
            guard let url, FileManager.default.fileExists(atPath: url.path) else { return nil }
            do { return try JSONDecoder().decode(PRDCScores.self, from: Data(contentsOf: url)) } catch {
                throw EvaluationError.cannotResume(path: url.path, reason: "it cannot be read (\(error))")
            }
        }

        var real: Tensor?
        var realRadii: Tensor?
        var observables: [String: ObservableReport] = [:]
        let names = ["precision", "recall", "density", "coverage"]
        for name in names { observables[name] = ObservableReport(label: name) }
        for file in context.candidates {
            let saved = folder?.appendingPathComponent("\(file.input.label).json")
            var scores = try load(saved)
            if scores == nil {
                func report(_ done: Int) {
                    context.progress(EvaluationProgress(
                        stage: "prdc", file: "\(file.input.label) (reference radii, generated radii, cross distances)",
                        completedEvents: done, totalEvents: 3, unit: "passes"))
                }
                report(0)
                if real == nil { real = try points(context.reference.input.path) }
                guard let realPoints = real else { continue }
                if realRadii == nil { realRadii = try radii(of: realPoints, name: "reference") }
                report(1)
                let fake = try points(file.input.path)
                let fakeRadii = try radii(of: fake, name: file.input.label)
                report(2)
                let computed = try prdc(
                    real: realPoints, realRadii: try realRadii ?? radii(of: realPoints, name: "reference"), fake: fake,
                    fakeRadii: fakeRadii, configuration: configuration
                ) { done, total in
                    context.progress(EvaluationProgress(
                        stage: "prdc", file: "\(file.input.label) cross distances", completedEvents: done, totalEvents: total,
                        unit: "rows"))
                }
                if let saved, let folder {
                    try createFolder(folder)
                    do { try JSONEncoder().encode(computed).write(to: saved, options: .atomic) } catch {
                        throw EvaluationError.cannotWrite(path: saved.path, reason: error.localizedDescription)
                    }
                    context.resumption?.recordTime()
                }
                scores = computed
            }
            guard let scores else { continue }
            let values = [scores.precision, scores.recall, scores.density, scores.coverage]
            for (name, value) in zip(names, values) {
                if file.input.role == .reference2 { observables[name]?.floor = Score(value) } else {
                    observables[name]?.scores[file.input.label] = Score(value)
                }
            }
        }
        return [.prdc: MetricReport(
            status: .ok, explanation: Metric.prdc.explanation,
            parameters: ["k": "5", "inputs": "log voxel energies after the readout threshold (spec §7.1)", "device": device.description],
            order: names, observables: observables)]
    }
}

/// Creates a folder of saved progress.
func createFolder(_ url: URL) throws {
    do {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
        throw EvaluationError.cannotWrite(path: url.path, reason: error.localizedDescription)
    }
}

/// `cls-low`, `cls-high`: a DNN trained to tell generated from reference showers, calibrated
/// (isotonic) AUC and JSD, mean ± std over runs (spec/calochallenge.md §5). A perfect generator
/// scores AUC 0.5, JSD 0.
public struct ClassifierFamily: MetricFamily {
    public init() {}
    public var metrics: [Metric] { [.clsLow, .clsHigh] }
    public var needs: ScanNeeds { [] }

    public func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
        let settings = context.configuration.classifier
        var configuration = ClassifierConfiguration.official
        configuration.epochCount = settings.epochs
        var reports: [Metric: MetricReport] = [:]
        for metric in metrics where context.configuration.metrics.contains(metric) {
            func inputs(_ file: FileStatistics, limit: Int) throws -> Tensor {
                if metric == .clsHigh {
                    return try ClassifierInputs.highLevel(file.features).narrowed(dim: 0, start: 0, length: limit)
                }
                return try loadTransformed(
                    file.input.path, geometry: context.geometry, limit: limit, width: context.geometry.voxelCount + 1, device: .cpu
                ) { showers, energies in
                    try ClassifierInputs.lowLevel(showers: showers, incidentEnergies: energies, threshold: context.threshold)
                }
            }
            var auc = ObservableReport(label: "AUC (calibrated)")
            var jsd = ObservableReport(label: "JSD / ln 2")
            var note: String?
            for file in context.candidates {
                let events = Swift.min(file.features.eventCount, context.reference.features.eventCount)
                let (sizes, sizeNote) = classifierSplitSizes(for: context.geometry, events: events)
                note = note ?? sizeNote
                // With a resumption folder: finished trainings are kept per run, the one in progress per epoch.
                let folder = context.resumption.map {
                    $0.folder(family: "classifier").appendingPathComponent("\(metric.rawValue)-\(file.input.label)")
                }
                var checkpointing: ClassifierCheckpointing?
                if let resumption = context.resumption, let folder {
                    checkpointing = ClassifierCheckpointing(
                        directory: folder, shouldStop: resumption.shouldStop, onSave: { resumption.recordTime() })
                }
                let summary = folder?.appendingPathComponent("scores.json")
                var scores = try summary.flatMap(loadScores)
                if scores == nil {
                    let generator = try Generator(seed: context.configuration.seed &+ 17)
                    let result = try classifierTest(
                        generated: try inputs(file, limit: events), reference: try inputs(context.reference, limit: events),
                        sizes: sizes, configuration: configuration, runCount: settings.runs, device: context.configuration.device,
                        generator: generator, checkpointing: checkpointing
                    ) { run, epoch in
                        let runs = settings.runs > 1 ? " run \(run + 1)/\(settings.runs)" : ""
                        context.progress(EvaluationProgress(
                            stage: "classifier",
                            file: "\(metric.rawValue) \(file.input.label)\(runs), test accuracy \(String(format: "%.4f", epoch.testAccuracy))",
                            completedEvents: epoch.epoch, totalEvents: settings.epochs, unit: "epochs"))
                    }
                    scores = result.runs.map(\.score)
                    context.progress(EvaluationProgress(
                        stage: "classifier", file: "\(metric.rawValue) \(file.input.label): AUC \(String(format: "%.4f", result.meanAUC))",
                        completedEvents: settings.epochs, totalEvents: settings.epochs, unit: "epochs"))
                    if let summary, let folder {
                        try createFolder(folder)
                        do { try JSONEncoder().encode(scores).write(to: summary, options: .atomic) } catch {
                            throw EvaluationError.cannotWrite(path: summary.path, reason: error.localizedDescription)
                        }
                    }
                }
                let result = ClassifierTestResult(runs: (scores ?? []).map { ClassifierRun(score: $0, classifier: nil) })
                let aucScore = Score(result.meanAUC, uncertainty: settings.runs > 1 ? result.aucStandardDeviation : nil)
                let jsdScore = Score(result.meanJSD, uncertainty: settings.runs > 1 ? result.jsdStandardDeviation : nil)
                if file.input.role == .reference2 {
                    auc.floor = aucScore
                    jsd.floor = jsdScore
                } else {
                    auc.scores[file.input.label] = aucScore
                    jsd.scores[file.input.label] = jsdScore
                }
            }
            auc.note = note
            reports[metric] = MetricReport(
                status: .ok, explanation: metric.explanation,
                parameters: ["epochs": String(settings.epochs), "runs": String(settings.runs),
                             "network": "\(configuration.architecture.summary), \(configuration.dtype)",
                             "device": context.configuration.device.description],
                order: ["auc", "jsd"], observables: ["auc": auc, "jsd": jsd])
        }
        return reports
    }

    private func loadScores(_ url: URL) throws -> [ClassifierScore]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do { return try JSONDecoder().decode([ClassifierScore].self, from: Data(contentsOf: url)) } catch {
            throw EvaluationError.cannotResume(path: url.path, reason: "it cannot be read (\(error))")
        }
    }
}
