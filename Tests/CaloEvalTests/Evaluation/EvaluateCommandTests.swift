import Foundation
import Testing
import _TestSupport

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `caloforge evaluate` end to end: the built binary on the fixture files.
@Suite struct EvaluateCommandTests {
    @Test func helpTeachesTheMetrics() throws {
        let (status, output, _) = try runCaloForge(["evaluate", "--help"])
        #expect(status == 0)
        for text in [
            "--reference", "--generated", "--reference2", "--metrics", "--seed", "--out", "Separation power",
            "0 for identical histograms", "reference floor", "Pearson", "1-Wasserstein", "histogram_chi2_<ds>.txt", "--resume", "--restart", "<out>/partial",
            "--strict", "--no-plots", "report.html", "plots/",
        ] {
            #expect(output.contains(text), "help lacks '\(text)'")
        }
    }

    @Test func evaluatesFixtureFilesAndWritesTheDocumentedOutputs() throws {
        try withTemporaryDirectory { directory in
            let out = directory.appendingPathComponent("eval").path
            let (status, output, errors) = try runCaloForge([
                "evaluate", "--reference", try TestFixtures.path("ds1-photons-reference.h5"),
                "--generated", try TestFixtures.path("ds1-photons-generated.h5"),
                "--reference2", try TestFixtures.path("ds1-photons-reference2.h5"),
                "--geometry", "ds1-photons", "--metrics", "hist,pcc,w1,fpd", "--seed", "3", "--w1-subsample-size", "100", "--w1-repetitions",
                "2",
                "--out", out, "--no-plots",
            ])
            #expect(status == 0, "\(output)\n\(errors)")
            #expect(output.contains("Wrote metrics.json, summary.md"))
            #expect(output.contains("Open \(out)/report.html in a browser"))
            #expect(errors.contains("features reference: 300/300 events"), "progress on stderr: \(errors)")
            // --no-plots: the metrics files and a report without figures; no plots folder.
            let files = Set(try FileManager.default.contentsOfDirectory(atPath: out))
            #expect(
                files == [
                    "metrics.json", "summary.md", "histogram_chi2_1-photons.txt", "histogram_chi2_1-photons_reference2.txt",
                    "report.html",
                ])
            let report = try XMLSummary.parse(try String(contentsOfFile: "\(out)/report.html", encoding: .utf8))
            #expect(report.elements(name: "img").isEmpty && report.elements(name: "figure").isEmpty)
            #expect(report.elements(name: "h2").map(\.text) == ["Headline: ds1-photons-generated", "Inputs", "Summary"])

            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/metrics.json")))
                    as? [String: Any])
            #expect(
                Set(json.keys) == [
                    "schema", "created", "software", "geometry", "dataset", "threshold_mev", "seed",
                    "metrics_requested", "inputs", "warnings", "metrics", "timings_seconds", "segments",
                ])
            #expect(json["seed"] as? Int == 3 && json["dataset"] as? String == "1-photons")
            #expect(json["segments"] as? Int == 1)
            let software = try #require(json["software"] as? [String: String])
            #expect(Set(software.keys) == ["caloforge", "libtorch", "hdf5", "swift"])
            let inputs = try #require(json["inputs"] as? [String: Any])
            let generated = try #require((inputs["generated"] as? [[String: Any]])?.first)
            #expect(generated["events"] as? Int == 300 && generated["label"] as? String == "ds1-photons-generated")
            #expect((generated["path"] as? String)?.hasSuffix("ds1-photons-generated.h5") == true)
            #expect((inputs["reference2"] as? [String: Any])?["events"] as? Int == 300)
            let metrics = try #require(json["metrics"] as? [String: [String: Any]])
            #expect(Set(metrics.keys) == ["hist", "pcc", "w1", "fpd", "kpd", "prdc", "cls-low", "cls-high", "cls-low-normed", "cls-resnet"])
            #expect(metrics["fpd"]?["status"] as? String == "ok")
            // KPD's official 10 × 5000-point kernel batches are too slow for the test suite; it is covered
            // by KPDTests and left unrequested here.
            #expect(metrics["kpd"]?["status"] as? String == "not run")
            let hist = try #require(metrics["hist"]?["observables"] as? [String: [String: Any]])
            let ratio = try #require(hist["E_ratio"])
            let score = try #require((ratio["scores"] as? [String: [String: Any]])?["ds1-photons-generated"])
            #expect(score["value"] is Double && score["uncertainty"] is NSNull)
            #expect((ratio["floor"] as? [String: Any])?["value"] is Double)
            let w1 = try #require(metrics["w1"]?["observables"] as? [String: [String: Any]])
            let hits = try #require((w1["N_hits"]?["scores"] as? [String: [String: Any]])?["ds1-photons-generated"])
            #expect(hits["value"] is Double && hits["uncertainty"] is Double)

            let text = try String(contentsOfFile: "\(out)/histogram_chi2_1-photons.txt", encoding: .utf8)
            #expect(
                text.hasPrefix(
                    "List of chi2 of the plotted histograms, see eq. 15 of 2009.03796 for its definition.\nEtot / Einc: \n"))
            #expect(text.contains("Voxel distribution: \n"))
            #expect(!text.contains("Sparsity"))
            let summary = try String(contentsOfFile: "\(out)/summary.md", encoding: .utf8)
            #expect(summary.contains("| hist | E_ratio: Etot / Einc |"))
            #expect(summary.contains("| w1 | N_hits:"))
        }
    }

    /// report.html is well-formed, lists every figure it links, every linked SVG exists (with its PNG
    /// when rsvg-convert is installed) and nothing in plots/ is left unlinked; its summary table shows
    /// summary.md's numbers.
    @Test func writesAReportThatLinksEveryFigure() throws {
        try withTemporaryDirectory { directory in
            let out = directory.appendingPathComponent("eval")
            let (status, output, errors) = try runCaloForge([
                "evaluate", "--reference", try TestFixtures.path("ds1-photons-reference.h5"),
                "--generated", try TestFixtures.path("ds1-photons-generated.h5"),
                "--reference2", try TestFixtures.path("ds1-photons-reference2.h5"), "--metrics", "hist,pcc", "--out", out.path,
                "--no-progress",
            ])
            #expect(status == 0, "\(output)\n\(errors)")
            #expect(output.contains("Open \(out.path)/report.html in a browser"), "\(output)")
            let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
            let report = try XMLSummary.parse(html)
            #expect(report.elements(name: "title").first?.text.contains("ds1-photons") == true)
            let headings = report.elements(name: "h2").map(\.text)
            #expect(Array(headings.prefix(3)) == ["Headline: ds1-photons-generated", "Inputs", "Summary"])
            for section in ["Energy response", "Longitudinal and radial profiles", "Shower centres and widths", "Mean showers"] {
                #expect(headings.contains(section), "no section \(section): \(headings)")
            }
            #expect(report.elements(name: "dd").contains { $0.text.contains("ds1-photons-generated.h5 (300 events)") })

            let linked = report.elements(name: "img").compactMap { $0.attributes["src"] }
            #expect(linked.count == report.elements(name: "figcaption").count)
            #expect(Set(linked).count == linked.count)
            #expect(linked.allSatisfy { $0.hasPrefix("plots/") && $0.hasSuffix(".svg") })
            for name in [
                "hist_E_ratio", "hist_E_layer_12", "hist_EC_eta_1", "hist_Width_phi_2", "hist_voxel_energy", "hist_Sparsity_0",
                "hist_E_ratio_E256", "response", "profile_longitudinal", "profile_radial", "layers_EC_eta",
                "pcc_ds1-photons-generated", "pcc_reference2", "shower_layer_12", "shower_overview_reference",
            ] {
                #expect(linked.contains("plots/\(name).svg"), "report lacks \(name)")
            }
            let plots = out.appendingPathComponent("plots")
            let svgs = try FileManager.default.contentsOfDirectory(atPath: plots.path).filter { $0.hasSuffix(".svg") }
            #expect(Set(svgs.map { "plots/\($0)" }) == Set(linked))
            let hasPNG =
                ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").contains {
                    FileManager.default.isExecutableFile(atPath: "\($0)/rsvg-convert")
                } ?? false
            for path in linked {
                let svg = try String(contentsOf: out.appendingPathComponent(path), encoding: .utf8)
                #expect(svg.hasPrefix("<?xml") && svg.contains("</svg>"), "\(path) is not a whole SVG")
                let png = out.appendingPathComponent(String(path.dropLast(4)) + ".png").path
                #expect(FileManager.default.fileExists(atPath: png) == hasPNG, "\(png)")
            }
            // One SVG parsed fully.
            _ = try XMLSummary.parse(try String(contentsOf: plots.appendingPathComponent("hist_E_ratio.svg"), encoding: .utf8))

            // The summary table repeats summary.md's numbers.
            let summary = try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8)
            let row = try #require(summary.split(separator: "\n").first { $0.hasPrefix("| hist | E_ratio: Etot / Einc |") })
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let tableCells = report.elements(name: "td").map(\.text)
            #expect(cells.count == 4)
            for cell in cells.suffix(2) { #expect(tableCells.contains(cell), "report lacks \(cell)") }
        }
    }

    /// Ctrl-C during a classifier training: exit status 130 with the work kept in <out>/partial; a
    /// plain rerun refuses to overwrite it, --resume finishes and removes it.
    @Test func ctrlCKeepsTheWorkAndResumeFinishesIt() throws {
        try withTemporaryDirectory { directory in
            let out = directory.appendingPathComponent("eval").path
            let arguments = [
                "evaluate", "--reference", try TestFixtures.path("ds1-photons-reference.h5"),
                "--generated", try TestFixtures.path("ds1-photons-generated.h5"), "--metrics", "pcc,cls-high",
                "--cls-epochs", "40", "--threads", "1", "--no-plots", "--out", out,
            ]
            let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            let process = Process()
            process.executableURL = runner.deletingLastPathComponent().appendingPathComponent("caloforge")
            process.arguments = arguments
            let log = directory.appendingPathComponent("stderr")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // Interrupt once the first epoch is reported.
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning, Date() < deadline {
                if (try? String(contentsOf: log, encoding: .utf8))?.contains("1/40 epochs") == true {
                    process.interrupt()
                    break
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
            process.waitUntilExit()
            let errors = try String(contentsOf: log, encoding: .utf8)
            #expect(process.terminationStatus == 130, "\(errors)")
            #expect(errors.contains("stopping at the next safe point") && errors.contains("continue with the same command and --resume"))
            let partial = "\(out)/partial"
            #expect(FileManager.default.fileExists(atPath: "\(partial)/family-pcc.json"))
            #expect(!FileManager.default.fileExists(atPath: "\(out)/metrics.json"))

            let refused = try runCaloForge(arguments)
            #expect(refused.status != 0 && refused.errors.contains("pass --resume to continue it or --restart"), "\(refused.errors)")
            let both = try runCaloForge(arguments + ["--resume", "--restart"])
            #expect(both.status != 0 && both.errors.contains("exclude each other"))

            let resumed = try runCaloForge(arguments + ["--resume"])
            #expect(resumed.status == 0, "\(resumed.errors)")
            #expect(!resumed.errors.contains(": 1/40 epochs"), "epoch 1 was trained again: \(resumed.errors)")
            #expect(!FileManager.default.fileExists(atPath: partial))
            let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/metrics.json"))) as? [String: Any]
            #expect(metrics?["segments"] as? Int == 2)
        }
    }

    @Test func missingFileIsAClearError() throws {
        try withTemporaryDirectory { directory in
            let (status, output, errors) = try runCaloForge([
                "evaluate", "--reference", try TestFixtures.path("ds1-photons-reference.h5"),
                "--generated", "/nonexistent/model.h5", "--out", directory.path,
            ])
            #expect(status != 0)
            #expect((output + errors).contains("/nonexistent/model.h5 does not exist; check the path"), "\(errors)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("metrics.json").path))
        }
    }

    @Test func corruptFileIsAClearError() throws {
        try withTemporaryDirectory { directory in
            let corrupt = directory.appendingPathComponent("corrupt.h5")
            try Data("not an HDF5 file".utf8).write(to: corrupt)
            let (status, _, errors) = try runCaloForge([
                "evaluate", "--reference", try TestFixtures.path("ds1-photons-reference.h5"),
                "--generated", corrupt.path, "--out", directory.appendingPathComponent("out").path,
            ])
            #expect(status != 0)
            #expect(errors.contains("corrupt.h5 is not an HDF5 file"), "\(errors)")
        }
    }

    @Test func geometryMismatchIsAClearError() throws {
        try withTemporaryDirectory { directory in
            let (status, _, errors) = try runCaloForge([
                "evaluate", "--reference", try TestFixtures.path("ds1-photons-reference.h5"),
                "--generated", try TestFixtures.path("calodata-ds2.h5"), "--out", directory.path,
            ])
            #expect(status != 0)
            #expect(
                errors.contains(
                    "calodata-ds2.h5: dataset 'showers' has 6480 voxels per event, expected 368 for geometry ds1-photons"),
                "\(errors)")
            let (status2, _, errors2) = try runCaloForge([
                "evaluate", "--reference", try TestFixtures.path("ds1-photons-reference.h5"), "--geometry", "ds2",
                "--generated", try TestFixtures.path("calodata-ds2.h5"), "--out", directory.path,
            ])
            #expect(status2 != 0)
            #expect(
                errors2.contains(
                    "ds1-photons-reference.h5: dataset 'showers' has 368 voxels per event, expected 6480 for geometry ds2"),
                "\(errors2)")
        }
    }

    @Test func argumentErrorsAreValidationErrors() throws {
        let reference = try TestFixtures.path("ds1-photons-reference.h5")
        let generated = try TestFixtures.path("ds1-photons-generated.h5")
        let unknown = try runCaloForge([
            "evaluate", "--reference", reference, "--generated", generated, "--metrics", "hist,fid", "--out", "/tmp/x",
        ])
        #expect(unknown.status == 64)
        #expect(
            unknown.errors.contains("unknown metric 'fid'; choose from all, hist, pcc, w1, fpd, kpd, prdc, cls-low, cls-high, cls-low-normed, cls-resnet"),
            "\(unknown.errors)")
        let none = try runCaloForge(["evaluate", "--reference", reference, "--out", "/tmp/x"])
        #expect(none.status == 64 && none.errors.contains("Give at least one --generated file"))
        let same = try runCaloForge([
            "evaluate", "--reference", reference, "--reference2", reference, "--generated", generated, "--out", "/tmp/x",
        ])
        #expect(same.status == 64 && same.errors.contains("--reference2 must be a different file from --reference"))
        let badGeometry = try runCaloForge([
            "evaluate", "--reference", reference, "--generated", generated, "--geometry", "ds9", "--out", "/tmp/x",
        ])
        #expect(badGeometry.status != 0 && badGeometry.errors.contains("unknown geometry 'ds9'"))
    }
}
