import CaloData
import Foundation
import Testing

/// A scratch folder removed when the test ends.
private func withTemporaryFolder<T>(_ body: (URL) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

@Suite struct SynthCommandTests {
    @Test func synthThenInspect() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("tiny.h5").path
            let (status, output) = try runCaloForge([
                "synth", "--geometry", "ds2", "--count", "25", "--energies", "log-uniform:1GeV:100GeV",
                "--seed", "3", "--batch-size", "10", "-o", path,
            ])
            #expect(status == 0, "\(output)")
            #expect(output.contains("wrote 25 electron showers"))
            #expect(output.contains("25/25 showers"), "the progress report ends at the total")
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(!FileManager.default.fileExists(atPath: path + ".partial"))

            let config = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + ".json"))) as? [String: Any])
            #expect(config["geometry"] as? String == "ds2")
            #expect(config["count"] as? Int == 25)
            #expect(config["energies"] as? String == "log-uniform:1GeV:100GeV")
            #expect(config["seed"] as? Int == 3)
            #expect(config["particle"] as? String == "electron")
            #expect(config["version"] as? String != nil)

            let text = try runCaloForge(["inspect", path])
            #expect(text.status == 0, "\(text.output)")
            for expected in [
                "events       25", "ds2 (detected from the voxel count)", "E_dep/E_inc", "sparsity", "longitudinal", "radial",
                "█",
                "validation   valid",
            ] {
                #expect(text.output.contains(expected), "missing '\(expected)' in\n\(text.output)")
            }

            let json = try runCaloForge(["inspect", path, "--json"])
            #expect(json.status == 0)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            #expect(report["valid"] as? Bool == true)
            let summary = try #require(report["summary"] as? [String: Any])
            #expect(summary["events"] as? Int == 25)
            #expect(summary["voxels"] as? Int == 6480)
            let ratio = try #require(summary["meanEnergyRatio"] as? Double)
            #expect(ratio > 0.9 && ratio < 1.05)
            #expect((summary["layers"] as? [Any])?.count == 45)
        }
    }

    @Test func synthDataset1UsesTheDiscreteSpectrum() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("ds1.h5").path
            let run = try runCaloForge([
                "synth", "--geometry", "ds1-photons", "--count", "30", "--energies", "ds1", "--seed", "1", "-o", path,
            ])
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("photon showers"))
            #expect(run.output.contains("detector atlas-like"))
            let inspect = try runCaloForge(["inspect", path, "--json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(inspect.output.utf8)) as? [String: Any])
            let summary = try #require(report["summary"] as? [String: Any])
            let histogram = try #require(summary["incidentEnergyHistogram"] as? [[String: Any]])
            #expect(histogram.allSatisfy { ($0["lower"] as? Double) == ($0["upper"] as? Double) }, "one bin per discrete energy")
            #expect(summary["radialProfileLayers"] as? String == "layer 2")
        }
    }

    @Test(arguments: [
        (["--count", "0"], "--count must be at least 1; got 0."),
        (["--batch-size", "0"], "--batch-size must be at least 1; got 0."),
        (["--energies", "log-uniform:1TeV:1GeV"], "the lower bound must be below the upper bound"),
        (["--energies", "uniform:1:2"], "write log-uniform:MIN:MAX, fixed:E, ds1 or ds1-pions"),
        (["--particle", "pion"], "--particle pion is not supported"),
        (["--particle", "muon"], "Please provide one of 'electron', 'photon' or 'pion'"),
        (["--detector", "cms"], "--detector must be one of par04, atlas-like; got 'cms'."),
        (["--geometry", "ds9"], "unknown geometry 'ds9'"),
        (["--geometry", "ds1-pions"], "pass --particle electron or --particle photon"),
        (["-o", "/no/such/folder/x.h5"], "folder /no/such/folder does not exist; create it first"),
    ])
    func badSynthFlagsAreClearErrors(arguments: [String], message: String) throws {
        var flags = [
            "--geometry": "ds2", "--count": "5", "--seed": "1",
            "-o": FileManager.default.temporaryDirectory.appendingPathComponent("never.h5").path,
        ]
        var extra: [String] = []
        var index = 0
        while index < arguments.count {
            if flags[arguments[index]] != nil {
                flags[arguments[index]] = arguments[index + 1]
            } else {
                extra += [arguments[index], arguments[index + 1]]
            }
            index += 2
        }
        let (status, output) = try runCaloForge(
            ["synth"] + flags.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] } + extra)
        #expect(status != 0)
        #expect(output.contains(message), "expected '\(message)' in\n\(output)")
        #expect(!output.contains("Fatal error"))
    }

    @Test func synthHelpTeaches() throws {
        let (status, output) = try runCaloForge(["synth", "--help"])
        #expect(status == 0)
        for phrase in ["What the data is", "What it is not", "Geant4", "log-uniform:1GeV:1TeV", "--seed", "par04", "atlas-like"] {
            #expect(output.contains(phrase), "missing '\(phrase)'")
        }
    }

    @Test func inspectOfANonHDF5FileIsAClearError() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("notes.h5").path
            try Data("this is not HDF5\n".utf8).write(to: URL(fileURLWithPath: path))
            let (status, output) = try runCaloForge(["inspect", path])
            #expect(status != 0)
            #expect(output.contains("\(path) is not an HDF5 file"), "\(output)")
            #expect(!output.contains("Fatal error"))

            let missing = try runCaloForge(["inspect", folder.appendingPathComponent("absent.h5").path])
            #expect(missing.status != 0)
            #expect(missing.output.contains("does not exist"))
        }
    }

    @Test func inspectOfATruncatedFileIsAClearError() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("cut.h5").path
            let run = try runCaloForge(["synth", "--geometry", "ds2", "--count", "40", "--seed", "2", "-o", path])
            #expect(run.status == 0)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
            let (status, output) = try runCaloForge(["inspect", path])
            #expect(status != 0)
            #expect(output.contains(path), "\(output)")
            #expect(!output.contains("Fatal error"))
        }
    }

    @Test func inspectReportsInvalidValuesAndExitsNonZero() throws {
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("negative.h5").path
            let writer = try CaloChallengeWriter(path: path, geometry: .ds1Photons)
            var showers = [Float](repeating: 1, count: 2 * 368)
            showers[368 + 5] = -3
            try writer.append(incidentEnergies: [1024, 2048], showers: showers)
            try writer.finish()
            let (status, output) = try runCaloForge(["inspect", path])
            #expect(status != 0)
            #expect(output.contains("validation   INVALID"), "\(output)")
            #expect(output.contains("row 1 holds -3.0 (negative voxel energy)"), "\(output)")
            #expect(output.contains("events       2"), "the summary is still printed")
        }
    }

    @Test func benchSynthReportsARate() throws {
        let (status, output) = try runCaloForge(["bench", "synth", "--count", "20", "--json"])
        #expect(status == 0, "\(output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect((json["showersPerSecond"] as? Double ?? 0) > 0)
        #expect(json["voxels"] as? Int == 6480)
    }
}
