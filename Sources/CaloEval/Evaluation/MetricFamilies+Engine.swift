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

/// Reads a whole file's showers as a float32 tensor `[events, voxels]` (at most `limit` events).
func loadShowers(_ path: String, geometry: Geometry, limit: Int? = nil) throws -> (showers: Tensor, incidentEnergies: Tensor) {
    let reader = try CaloChallengeReader(path: path, geometry: geometry)
    let count = Swift.min(limit ?? reader.eventCount, reader.eventCount)
    let showers = try Tensor(try reader.showers(0..<count), shape: [count, geometry.voxelCount])
    let energies = try Tensor(try reader.incidentEnergies(0..<count), shape: [count, 1])
    return (showers, energies)
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
}

/// `prdc`: precision, recall, density and coverage (k = 5) on the log-transformed voxel vectors
/// (spec/calochallenge.md §7.1), with blocked nearest-neighbour searches on the configured device.
public struct PRDCFamily: MetricFamily {
    public init() {}
    public var metrics: [Metric] { [.prdc] }
    public var needs: ScanNeeds { [] }

    public func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
        let device = context.configuration.device
        func points(_ path: String) throws -> Tensor {
            let (showers, _) = try loadShowers(path, geometry: context.geometry)
            let cut = try showers.maskedFill(try showers .< context.threshold.energy, 0)
            return try prdcLogTransformed(cut.to(device))
        }
        let real = try points(context.reference.input.path)
        var observables: [String: ObservableReport] = [:]
        let names = ["precision", "recall", "density", "coverage"]
        for name in names { observables[name] = ObservableReport(label: name) }
        for file in context.candidates {
            let scores = try prdc(real: real, fake: try points(file.input.path))
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
                let (showers, energies) = try loadShowers(file.input.path, geometry: context.geometry, limit: limit)
                return try ClassifierInputs.lowLevel(showers: showers, incidentEnergies: energies, threshold: context.threshold)
            }
            var auc = ObservableReport(label: "AUC (calibrated)")
            var jsd = ObservableReport(label: "JSD / ln 2")
            var note: String?
            for file in context.candidates {
                let events = Swift.min(file.features.eventCount, context.reference.features.eventCount)
                let (sizes, sizeNote) = classifierSplitSizes(for: context.geometry, events: events)
                note = note ?? sizeNote
                let generator = try Generator(seed: context.configuration.seed &+ 17)
                let result = try classifierTest(
                    generated: try inputs(file, limit: events), reference: try inputs(context.reference, limit: events), sizes: sizes,
                    configuration: configuration, runCount: settings.runs, device: context.configuration.device, generator: generator)
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
                             "network": "\(configuration.hiddenLayerCount) × \(configuration.hiddenWidth), \(configuration.dtype)",
                             "device": context.configuration.device.description],
                order: ["auc", "jsd"], observables: ["auc": auc, "jsd": jsd])
        }
        return reports
    }
}
