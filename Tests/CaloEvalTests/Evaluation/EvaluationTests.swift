import CaloData
import CaloEval
import Foundation
import Testing

/// The orchestrator on the fixture files: result layout, "not run" entries, plug-in families, input
/// checks and error paths.
@Suite struct EvaluationTests {
    func configuration(
        generated: [String] = ["ds1-photons-generated.h5"], reference2: String? = "ds1-photons-reference2.h5",
        // KPD's official 10 × 5000-point kernel batches take minutes on 2 cores; KPDTests covers it.
        metrics: [Metric] = Metric.allCases.filter { $0 != .kpd }, strict: Bool = false
    ) throws -> EvaluationConfiguration {
        EvaluationConfiguration(
            reference: try TestFixtures.path("ds1-photons-reference.h5"),
            generated: try generated.map(TestFixtures.path),
            reference2: try reference2.map(TestFixtures.path),
            metrics: MetricSelection(metrics), seed: 7,
            w1: W1Settings(subsampleSize: 150, repetitions: 3), isStrict: strict, software: ["caloforge": "test"],
            classifier: ClassifierSettings(epochs: 1))
    }

    /// cls-low-normed and cls-resnet on ds2 through the orchestrator (one float32 epoch).
    @Test func normedAndResNetClassifiersRunOnDS2() throws {
        let configuration = EvaluationConfiguration(
            reference: try TestFixtures.path("ds2-reference.h5"), generated: [try TestFixtures.path("ds2-generated.h5")],
            metrics: MetricSelection([.clsLowNormed, .clsResNet]), seed: 3,
            classifier: ClassifierSettings(epochs: 1, dtype: .float32))
        let result = try Evaluation(configuration).run()
        for metric in [Metric.clsLowNormed, .clsResNet] {
            let report = try #require(result[metric])
            #expect(report.status == .ok, "\(metric): \(report.reason ?? "")")
            let auc = report.observables["auc"]?.scores["ds2-generated"]?.value ?? -1
            #expect(auc >= 0 && auc <= 1, "\(metric)")
        }
        #expect(result[.clsResNet]?.parameters["network"] == "ResNet-18 on 45 × 16 × 9, float32")
        #expect(result[.clsLowNormed]?.parameters["network"] == "DNN 2 × 2048, float32")
    }

    @Test func everyMetricIsReportedAndTheFloorIsFilled() throws {
        var progress: [EvaluationProgress] = []
        let result = try Evaluation(try configuration()).run { progress.append($0) }
        #expect(Set(result.metrics.keys) == Set(Metric.allCases.map(\.rawValue)))
        for metric in Metric.allCases where metric != .kpd && metric != .clsResNet {
            #expect(result[metric]?.status == .ok, "\(metric)")
        }
        #expect(result[.kpd]?.status == .notRun)
        // evaluate.py defines cls-resnet for ds2 and ds3 only.
        #expect(result[.clsResNet]?.status == .notRun)
        #expect(result[.clsResNet]?.reason?.contains("not defined for ds1-photons") == true, "\(result[.clsResNet]?.reason ?? "")")
        let label0 = "ds1-photons-generated"
        #expect((result[.fpd]?.observables["value"]?.scores[label0]?.value ?? -1) >= 0)
        #expect(result[.fpd]?.observables["value"]?.floor?.value != nil)
        let auc = result[.clsLow]?.observables["auc"]?.scores[label0]?.value ?? -1
        #expect(auc >= 0 && auc <= 1)
        let precision = result[.prdc]?.observables["precision"]?.scores[label0]?.value ?? -1
        #expect(precision >= 0 && precision <= 1)
        let label = "ds1-photons-generated"
        #expect(result.inputs.generated.map(\.label) == [label])
        #expect(result.inputs.reference.events == 300 && result.inputs.generated[0].events == 300)
        #expect(result.inputs.generated[0].incidentEnergies?.identical == true)
        #expect(result.inputs.reference2?.incidentEnergies?.agrees == true)
        #expect(result.datasetCode == "1-photons" && result.thresholdMeV == 1 && result.seed == 7)
        #expect(result.software["hdf5"] != nil && result.software["caloforge"] == "test")
        #expect(result.warnings.isEmpty, "\(result.warnings)")

        let hist = try #require(result[.hist])
        let ratio = try #require(hist.observables["E_ratio"])
        #expect(ratio.label == "Etot / Einc" && ratio.official == true && ratio.bins == 100)
        #expect((ratio.scores[label]?.value ?? 0) > 0)
        #expect(ratio.floor?.value != nil)
        #expect(hist.observables["Sparsity_0"]?.official == false)

        let w1 = try #require(result[.w1])
        #expect(w1.order == ["N_hits", "E_ratio", "E_cell", "E_long", "E_radial", "m1_eta", "m1_phi", "m1_z"])
        let long = try #require(w1.observables["E_long"])
        #expect(long.componentOrder == ["E_long_1", "E_long_2", "E_long_3", "E_long_4", "E_long_5"])
        #expect(long.components?["E_long_1"]?.scores[label]?.uncertainty != nil)
        #expect(w1.observables["N_hits"]?.floor?.value != nil)

        let pcc = try #require(result[.pcc])
        let correlation = try #require(pcc.correlation)
        #expect(correlation.layers == [0, 1, 2, 3, 12])
        #expect(Set(correlation.matrices.keys) == ["reference", "reference2", label])
        #expect(correlation.differences[label]?.count == 5)

        // Progress: both reference passes, then the other files, then the metric families.
        #expect(progress.contains { $0.stage == "voxel histogram" && $0.file == "reference" && $0.completedEvents == 300 })
        #expect(progress.contains { $0.stage == "features" && $0.file == label && $0.completedEvents == 300 })
        #expect(progress.contains { $0.stage == "metrics" && $0.file == "hist" })
        #expect(progress.contains { $0.stage == "prdc" && $0.unit == "passes" && $0.completedEvents == 2 })
        #expect(progress.contains { $0.stage == "prdc" && $0.file == "reference radii" && $0.unit == "distances" && $0.completedEvents == 300 * 301 / 2 })
        #expect(progress.last?.stage == "classifier" && progress.last?.unit == "epochs")
    }

    @Test func resultRoundTripsThroughJSON() throws {
        let result = try Evaluation(try configuration(metrics: [.hist, .pcc, .w1, .fpd])).run()
        let decoded = try JSONDecoder().decode(EvaluationResult.self, from: try result.jsonData())
        #expect(decoded == result)
        // Each stage's wall-clock time is recorded, and summary.md ends with them.
        let timings = try #require(result.timingsSeconds)
        #expect(Set(timings.keys) == ["reading", "hist", "pcc", "w1", "fpd+kpd"])
        #expect(timings.values.allSatisfy { $0 >= 0 })
        #expect(result.summaryMarkdown.contains("Time: reading "))
    }

    @Test func sameSeedSameNumbers() throws {
        let a = try Evaluation(try configuration(metrics: [.w1])).run()
        let b = try Evaluation(try configuration(metrics: [.w1])).run()
        #expect(a.metrics == b.metrics)
    }

    /// Stopped between families (call 1), after a PRDC pass (4) or after a classifier epoch (8) and
    /// resumed, the evaluation gives the numbers of an uninterrupted one and counts two segments.
    /// Calls to shouldStop: before hist (1) and prdc (2), after the reference, generated and
    /// reference2 radii (3–5), before the classifiers (6), after epochs 1–2 of each file (7–10).
    @Test(arguments: [1, 4, 8]) func interruptedEvaluationResumesToTheSameNumbers(stopAtCall: Int) throws {
        var base = try configuration(metrics: [.hist, .prdc, .clsHigh])
        base.classifier = ClassifierSettings(epochs: 3)
        let uninterrupted = try Evaluation(base).run()
        try withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("partial")
            let calls = Counter()
            var stopping = base
            stopping.resumption = EvaluationResumption(directory: folder, shouldStop: { calls.next() == stopAtCall })
            do {
                _ = try Evaluation(stopping).run()
                Issue.record("the evaluation was not interrupted")
            } catch let EvaluationError.interrupted(resumeFrom) {
                #expect(resumeFrom == folder.path)
            }
            // Stopped before anything was finished, nothing is saved and the next run starts afresh.
            #expect(stopping.resumption?.hasSavedProgress == (stopAtCall > 1))
            var resuming = base
            resuming.resumption = EvaluationResumption(directory: folder)
            let resumed = try Evaluation(resuming).run()
            #expect(resumed.metrics == uninterrupted.metrics)
            #expect(resumed.segments == (stopAtCall > 1 ? 2 : 1) && uninterrupted.segments == nil)
            #expect(Set(resumed.timingsSeconds.map { Array($0.keys) } ?? []) == ["reading", "hist", "prdc", "cls-low+cls-high+cls-low-normed+cls-resnet"])
            try resuming.resumption?.discard()
            #expect(!FileManager.default.fileExists(atPath: folder.path))
        }
    }

    @Test func savedProgressOfOtherSettingsIsNotReused() throws {
        try withTemporaryDirectory { directory in
            // Stopped after pcc (the first call of shouldStop is before it).
            var first = try configuration(metrics: [.pcc, .w1])
            let calls = Counter()
            first.resumption = EvaluationResumption(directory: directory, shouldStop: { calls.next() == 2 })
            #expect(throws: EvaluationError.self) { try Evaluation(first).run() }
            #expect(first.resumption?.hasSavedProgress == true)
            var other = try configuration(metrics: [.pcc, .w1])
            other.seed = 8
            other.resumption = EvaluationResumption(directory: directory)
            do {
                _ = try Evaluation(other).run()
                Issue.record("progress saved with seed 7 was reused with seed 8")
            } catch let EvaluationError.cannotResume(path, reason) {
                #expect(path == directory.path && reason.contains("seed: saved 7, now 8"), "\(reason)")
            }
        }
    }

    @Test func filesWithoutProgressAreClearedForAFreshStart() throws {
        try withTemporaryDirectory { directory in
            let stale = directory.appendingPathComponent("family-pcc.json")
            try Data("{}".utf8).write(to: stale)
            var configuration = try configuration(metrics: [.pcc])
            configuration.resumption = EvaluationResumption(directory: directory)
            let result = try Evaluation(configuration).run()
            #expect(result[.pcc]?.status == .ok && result.segments == 1)
            #expect((try? Data(contentsOf: stale)) != Data("{}".utf8))
        }
    }

    @Test func unselectedMetricsAreNotRequested() throws {
        let result = try Evaluation(try configuration(reference2: nil, metrics: [.pcc])).run()
        #expect(result[.pcc]?.status == .ok)
        #expect(result[.hist]?.status == .notRun)
        #expect(result[.hist]?.reason?.contains("not requested") == true)
        #expect(result[.pcc]?.observables["max_abs_difference"]?.floor == nil)
        #expect(result.metricsRequested == ["pcc"])
    }

    struct ConstantFPD: MetricFamily {
        var metrics: [Metric] { [.fpd] }
        var needs: ScanNeeds { [] }
        func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
            var observable = ObservableReport(label: "FPD")
            for file in context.generated { observable.scores[file.input.label] = Score(Double(file.features.eventCount)) }
            return [
                .fpd: MetricReport(
                    status: .ok, explanation: Metric.fpd.explanation, order: ["fpd"], observables: ["fpd": observable])
            ]
        }
    }

    struct Failing: MetricFamily {
        var metrics: [Metric] { [.kpd] }
        var needs: ScanNeeds { [] }
        func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
            throw EvaluationError.invalidArgument("boom")
        }
    }

    @Test func familiesPlugIn() throws {
        let evaluation = Evaluation(
            try configuration(reference2: nil, metrics: [.fpd, .kpd, .prdc]),
            families: [SeparationPowerFamily(), CorrelationFamily(), WassersteinFamily(), ConstantFPD(), Failing()])
        let result = try evaluation.run()
        #expect(result[.fpd]?.status == .ok)
        #expect(result[.fpd]?.observables["fpd"]?.scores["ds1-photons-generated"]?.value == 300)
        #expect(result[.kpd]?.status == .failed)
        #expect(result[.kpd]?.reason == "boom")
        #expect(result.hasFailures)
        #expect(result[.prdc]?.status == .notRun)
        #expect(result.warnings.contains { $0.contains("kpd failed") })
    }

    @Test func inputMismatchesWarnOrFailWithStrict() throws {
        // 20 events with other incident energies than the 300-event reference.
        let loose = try Evaluation(try configuration(generated: ["calodata-ds1-photons.h5"], reference2: nil, metrics: [.pcc]))
            .run()
        #expect(loose.warnings.contains { $0.contains("has 20 events but the reference has 300") })
        #expect(loose.inputs.generated[0].incidentEnergies?.identical == false)
        #expect(throws: EvaluationError.self) {
            try Evaluation(
                try configuration(generated: ["calodata-ds1-photons.h5"], reference2: nil, metrics: [.pcc], strict: true)
            ).run()
        }
    }

    @Test func nanIsAnErrorAndNegativeVoxelsAWarning() throws {
        try withTemporaryDirectory { directory in
            func write(_ name: String, _ value: Float) throws -> String {
                let path = directory.appendingPathComponent(name).path
                var showers = [Float](repeating: 2, count: 3 * 368)
                showers[368 + 5] = value
                // Written raw: CaloChallengeWriter refuses NaN.
                let file = try HDF5File(path, mode: .create)
                try file.createDataset(CaloChallengeReader.energiesKey, columns: 1).append([Float(512), 1024, 2048])
                try file.createDataset(CaloChallengeReader.showersKey, columns: 368).append(showers)
                return path
            }
            let nan = try write("nan.h5", .nan)
            var configuration = try configuration(reference2: nil, metrics: [.hist])
            configuration.generated = [nan]
            #expect {
                try Evaluation(configuration).run()
            } throws: { error in
                guard case let CaloDataError.invalidValues(path, dataset, row, _, _)? = error as? CaloDataError else {
                    return false
                }
                return path == nan && dataset == "showers" && row == 1
            }
            configuration.generated = [try write("negative.h5", -3)]
            let result = try Evaluation(configuration).run()
            #expect(result.inputs.generated[0].negativeVoxels == 1)
            #expect(result.warnings.contains { $0.contains("1 negative voxel values") })
        }
    }

    @Test func inputErrors() throws {
        var configuration = try configuration(reference2: nil, metrics: [.hist])
        configuration.generated = ["/nonexistent/model.h5"]
        #expect(throws: CaloDataError.fileNotFound(path: "/nonexistent/model.h5")) { try Evaluation(configuration).run() }
        configuration.generated = [try TestFixtures.path("calodata-ds2.h5")]
        #expect {
            try Evaluation(configuration).run()
        } throws: { error in
            guard case let CaloDataError.geometryMismatch(_, voxels, expected)? = error as? CaloDataError else { return false }
            return voxels == 6480 && expected.contains("368") && expected.contains("ds1-photons")
        }
        configuration.generated = [try TestFixtures.path("calodata-bad-energies-1d.h5")]
        #expect {
            try Evaluation(configuration).run()
        } throws: { error in
            guard case let CaloDataError.wrongShape(_, dataset, expected, _)? = error as? CaloDataError else { return false }
            return dataset == "incident_energies" && expected == "(N, 1)"
        }
        configuration.generated = []
        #expect(throws: EvaluationError.self) { try Evaluation(configuration).run() }
    }

    @Test func writesEveryFileAtomically() throws {
        let result = try Evaluation(try configuration(generated: ["ds1-photons-generated.h5", "ds1-photons-generated.h5"])).run()
        #expect(result.inputs.generated.map(\.label) == ["ds1-photons-generated", "ds1-photons-generated-2"])
        try withTemporaryDirectory { directory in
            let out = directory.appendingPathComponent("nested/out")
            let files = try result.write(to: out)
            #expect(
                Set(files) == [
                    "metrics.json", "summary.md", "histogram_chi2_1-photons_ds1-photons-generated.txt",
                    "histogram_chi2_1-photons_ds1-photons-generated-2.txt", "histogram_chi2_1-photons_reference2.txt",
                ])
            let listing = try FileManager.default.contentsOfDirectory(atPath: out.path)
            #expect(Set(listing) == Set(files), "no temporary files left behind")
            let summary = try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8)
            #expect(
                summary.contains("| metric | observable | ds1-photons-generated | ds1-photons-generated-2 | reference floor |"))
            #expect(summary.contains("| fpd | value: FPD × 10³"))
            // The two identical generated files get identical separation powers.
            let a = try String(
                contentsOf: out.appendingPathComponent("histogram_chi2_1-photons_ds1-photons-generated.txt"), encoding: .utf8)
            let b = try String(
                contentsOf: out.appendingPathComponent("histogram_chi2_1-photons_ds1-photons-generated-2.txt"), encoding: .utf8)
            #expect(a == b && a.hasPrefix("List of chi2 of the plotted histograms"))
        }
    }

    @Test func metricSelectionParsing() throws {
        #expect(try MetricSelection(parsing: ["all"]) == .all)
        #expect(try MetricSelection(parsing: ["w1,hist", "HIST", " pcc "]).metrics == [.hist, .pcc, .w1])
        #expect(try MetricSelection(parsing: ["cls-low"]).metrics == [.clsLow])
        #expect(throws: EvaluationError.unknownMetric("fid")) { try MetricSelection(parsing: ["hist,fid"]) }
        #expect(throws: EvaluationError.self) { try MetricSelection(parsing: [""]) }
        #expect(
            EvaluationError.unknownMetric("fid").description.contains(
                "choose from all, hist, pcc, w1, fpd, kpd, prdc, cls-low, cls-high, cls-low-normed, cls-resnet"))
    }
}
