import CaloData
import Foundation
import Testing

@Suite struct CaloChallengeFileTests {
    @Test func writeThenReadRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("events.h5").path
        let geometry = Geometry.ds1Photons
        let writer = try CaloChallengeWriter(path: path, geometry: geometry)
        let energies: [Float] = [256, 512, 1024]
        let showers = (0..<(3 * 368)).map { Float($0 % 17) }
        try writer.append(incidentEnergies: Array(energies[0..<2]), showers: Array(showers[0..<(2 * 368)]))
        #expect(!FileManager.default.fileExists(atPath: path))
        try writer.append(incidentEnergies: [energies[2]], showers: Array(showers[(2 * 368)...]))
        try writer.finish()
        #expect(FileManager.default.fileExists(atPath: path))
        let reader = try CaloChallengeReader(path: path)
        #expect(reader.geometry.name == "ds1-photons")
        #expect(reader.eventCount == 3)
        let (e, s) = try reader.readAll()
        #expect(e == [256, 512, 1024])
        #expect(s == showers)
        #expect(try reader.showers(1..<2) == Array(showers[368..<736]))
        try reader.validateValues()
    }

    // MARK: Files written here, read by other tools

    /// Three ds1-photons events with known values, written and finished by CaloChallengeWriter.
    static func writeSmallFile(in directory: URL) throws -> (path: String, energies: [Float], showers: [Float]) {
        let path = directory.appendingPathComponent("small.h5").path
        let energies: [Float] = [256, 65536, 4_194_304]
        let showers = (0..<(3 * 368)).map { Float($0 % 23) * 0.5 }
        let writer = try CaloChallengeWriter(path: path, geometry: .ds1Photons)
        try writer.append(incidentEnergies: energies, showers: showers)
        try writer.finish()
        return (path, energies, showers)
    }

    static var pythonPath: String? { ProcessInfo.processInfo.environment["CALOFORGE_PYTHONPATH"] }

    /// Runs a program found on PATH, returning its standard output and exit status.
    static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }

    static func onPath(_ program: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
        }
    }

    @Test(.enabled(if: pythonPath != nil, "set CALOFORGE_PYTHONPATH to a folder with h5py (make test sets it)"))
    func filesWeWriteAreReadableByH5py() throws {
        let script = """
            import json, sys
            import h5py, numpy as np
            with h5py.File(sys.argv[1], "r") as f:
                e, s = f["incident_energies"], f["showers"]
                print(json.dumps({
                    "keys": sorted(f.keys()),
                    "shapes": [list(e.shape), list(s.shape)],
                    "dtypes": [str(e.dtype), str(s.dtype)],
                    "compression": s.compression,
                    "energies": e[:, 0].astype(np.float64).tolist(),
                    "showers": s[:].astype(np.float64).ravel().tolist(),
                    "attrs": {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f.attrs.items()},
                }))
            """
        try withTemporaryDirectory { directory in
            let (path, energies, showers) = try Self.writeSmallFile(in: directory)
            let result = try Self.run("python3", ["-c", script, path], environment: ["PYTHONPATH": Self.pythonPath ?? ""])
            try #require(result.status == 0, "python3 failed: \(result.output)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            #expect(json["keys"] as? [String] == ["incident_energies", "showers"])
            #expect(json["shapes"] as? [[Int]] == [[3, 1], [3, 368]])
            #expect(json["dtypes"] as? [String] == ["float32", "float32"])
            #expect(json["compression"] as? String == "gzip")
            #expect(json["energies"] as? [Double] == energies.map(Double.init))
            #expect(json["showers"] as? [Double] == showers.map(Double.init))
            #expect(json["attrs"] as? [String: String] == ["complete": "true", "events": "3", "geometry": "ds1-photons"])
        }
    }

    @Test(.enabled(if: onPath("h5dump"), "h5dump is not installed"))
    func filesWeWriteAreReadableByH5dump() throws {
        try withTemporaryDirectory { directory in
            let (path, _, _) = try Self.writeSmallFile(in: directory)
            let result = try Self.run("h5dump", ["-H", path])
            try #require(result.status == 0, "h5dump failed: \(result.output)")
            let header = result.output.replacingOccurrences(of: "  ", with: " ")
            for needle in [
                #"DATASET "incident_energies""#, #"DATASET "showers""#, "H5T_IEEE_F32LE",
                "( 3, 1 ) / ( H5S_UNLIMITED, 1 )", "( 3, 368 ) / ( H5S_UNLIMITED, 368 )", #"ATTRIBUTE "complete""#,
            ] {
                #expect(header.contains(needle), "h5dump -H lacks \(needle):\n\(result.output)")
            }
        }
    }

    /// Files written by h5py with gzip and h5py's own chunking, float64 energies, float32 showers.
    @Test(arguments: ["ds1-photons", "ds1-pions", "ds2"])
    func readsH5pyWrittenFixtures(name: String) throws {
        let reader = try CaloChallengeReader(path: try TestFixtures.url("\(name).h5").path)
        #expect(reader.geometry.name == name)
        #expect(reader.eventCount == 20)
        #expect(reader.isComplete)
        try reader.validateValues()
        let golden = try #require(try TestFixtures.golden().features[name])
        #expect(try reader.incidentEnergies(0..<20) == golden.incidentEnergies)
        #expect(try reader.showers(0..<1).allSatisfy { $0 == 0 })
    }

    // MARK: Invalid inputs

    /// Writes an HDF5 file with the given float32 datasets (name → (columns, values)).
    static func writeRaw(_ path: String, _ datasets: [(String, Int, [Float])]) throws {
        let file = try HDF5File(path, mode: .create)
        for (name, columns, values) in datasets {
            try file.createDataset(name, columns: columns).append(values)
        }
    }

    /// Expects `body` to throw `expected`, whose description names `path` and, if given, `dataset`.
    static func expectError(_ expected: CaloDataError, path: String, dataset: String?, _ body: () throws -> Void,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: expected, sourceLocation: sourceLocation, performing: body)
        #expect(expected.description.contains(path), sourceLocation: sourceLocation)
        if let dataset { #expect(expected.description.contains("'\(dataset)'"), "\(expected.description)", sourceLocation: sourceLocation) }
    }

    @Test func missingFile() throws {
        let path = "/nonexistent-caloforge/events.h5"
        Self.expectError(.fileNotFound(path: path), path: path, dataset: nil) { _ = try CaloChallengeReader(path: path) }
    }

    @Test func nonHDF5File() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("events.h5").path
            try Data("incident_energies,showers\n1,2\n".utf8).write(to: URL(fileURLWithPath: path))
            Self.expectError(.notHDF5(path: path), path: path, dataset: nil) { _ = try CaloChallengeReader(path: path) }
        }
    }

    @Test(arguments: ["incident_energies", "showers"])
    func missingDataset(missing: String) throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("events.h5").path
            let present = missing == "showers" ? ("incident_energies", 1, [Float](repeating: 256, count: 2)) : ("showers", 368, [Float](repeating: 0, count: 736))
            try Self.writeRaw(path, [present])
            Self.expectError(.missingDataset(path: path, dataset: missing), path: path, dataset: missing) { _ = try CaloChallengeReader(path: path) }
        }
    }

    @Test func energiesNotNBy1() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("events.h5").path
            try Self.writeRaw(path, [("incident_energies", 2, [1, 2, 3, 4]), ("showers", 368, [Float](repeating: 0, count: 736))])
            Self.expectError(.wrongShape(path: path, dataset: "incident_energies", expected: "(N, 1)", actual: [2, 2]), path: path,
                             dataset: "incident_energies") { _ = try CaloChallengeReader(path: path) }
        }
        // h5py-written: energies saved without reshape(-1, 1), i.e. 1-D.
        let flat = try TestFixtures.url("bad-energies-1d.h5").path
        Self.expectError(.wrongShape(path: flat, dataset: "incident_energies", expected: "(N, 1)", actual: [3]), path: flat,
                         dataset: "incident_energies") { _ = try CaloChallengeReader(path: flat) }
    }

    @Test func showersNotTwoDimensional() throws {
        let path = try TestFixtures.url("bad-showers-3d.h5").path
        Self.expectError(.wrongShape(path: path, dataset: "showers", expected: "(N, voxels)", actual: [3, 2, 184]), path: path,
                         dataset: "showers") { _ = try CaloChallengeReader(path: path) }
    }

    @Test func energiesNotFloatingPoint() throws {
        let path = try TestFixtures.url("bad-energies-int.h5").path
        #expect {
            _ = try CaloChallengeReader(path: path)
        } throws: { error in
            guard case .invalidArgument(let message)? = error as? CaloDataError else { return false }
            return message.contains(path) && message.contains("'incident_energies'") && message.contains("float32")
        }
    }

    @Test func voxelCountFittingNoGeometry() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("events.h5").path
            try Self.writeRaw(path, [("incident_energies", 1, [256, 512]), ("showers", 100, [Float](repeating: 0, count: 200))])
            #expect {
                _ = try CaloChallengeReader(path: path)
            } throws: { error in
                guard case .geometryMismatch(let errorPath, let voxels, _)? = error as? CaloDataError else { return false }
                let text = "\(error)"
                return errorPath == path && voxels == 100 && text.contains(path) && text.contains("'showers'")
                    && ["368", "533", "6480", "40500"].allSatisfy(text.contains)
            }
        }
    }

    @Test func voxelCountNotTheOneAskedFor() throws {
        let path = try TestFixtures.url("ds1-photons.h5").path
        Self.expectError(.geometryMismatch(path: path, voxels: 368, expected: "6480 for geometry ds2"), path: path, dataset: "showers") {
            _ = try CaloChallengeReader(path: path, geometry: .ds2)
        }
        #expect(try CaloChallengeReader(path: path, geometry: .ds1Photons).geometry == .ds1Photons)
    }

    @Test func mismatchedEventCounts() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("events.h5").path
            try Self.writeRaw(path, [("incident_energies", 1, [256, 512, 1024]), ("showers", 368, [Float](repeating: 0, count: 4 * 368))])
            Self.expectError(.eventCountMismatch(path: path, energies: 3, showers: 4), path: path, dataset: "showers") {
                _ = try CaloChallengeReader(path: path)
            }
            #expect(CaloDataError.eventCountMismatch(path: path, energies: 3, showers: 4).description.contains("'incident_energies'"))
        }
    }

    struct BadValue: Sendable, CustomTestStringConvertible {
        let dataset: String
        let value: Float
        let problem: String
        var testDescription: String { "\(value) in \(dataset)" }
    }

    static let badValues: [BadValue] = [
        .init(dataset: "incident_energies", value: .nan, problem: "not a finite number"),
        .init(dataset: "incident_energies", value: .infinity, problem: "not a finite number"),
        .init(dataset: "incident_energies", value: -512, problem: "positive"),
        .init(dataset: "incident_energies", value: 0, problem: "positive"),
        .init(dataset: "showers", value: .nan, problem: "not a finite number"),
        .init(dataset: "showers", value: .infinity, problem: "not a finite number"),
        .init(dataset: "showers", value: -.infinity, problem: "not a finite number"),
        .init(dataset: "showers", value: -1e-3, problem: "negative"),
    ]

    /// The bad value sits in event 5.
    @Test(arguments: badValues)
    func validateValuesFindsTheBadEvent(_ bad: BadValue) throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("events.h5").path
            var energies = [Float](repeating: 1024, count: 7)
            var showers = [Float](repeating: 0.25, count: 7 * 368)
            if bad.dataset == "showers" { showers[5 * 368 + 100] = bad.value } else { energies[5] = bad.value }
            // Written raw: the writer itself refuses NaN, infinite and non-positive energies.
            try Self.writeRaw(path, [("incident_energies", 1, energies), ("showers", 368, showers)])
            let reader = try CaloChallengeReader(path: path)
            #expect {
                try reader.validateValues()
            } throws: { error in
                guard case .invalidValues(let errorPath, let dataset, let row, let value, let problem)? = error as? CaloDataError else { return false }
                let sameValue = value.isNaN ? bad.value.isNaN : value == Double(bad.value)
                let text = "\(error)"
                return errorPath == path && dataset == bad.dataset && row == 5 && sameValue && problem.contains(bad.problem)
                    && text.contains(path) && text.contains("'\(bad.dataset)'") && text.contains("row 5")
            }
        }
    }

    // MARK: Interrupted writes

    @Test func interruptedWriterLeavesOnlyAReadablePartialFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("generated.h5").path
            let showers = (0..<(5 * 533)).map { Float($0 % 7) }
            let energies: [Float] = [256, 512, 1024, 2048, 4096]
            do {
                let writer = try CaloChallengeWriter(path: path, geometry: .ds1Pions)
                try writer.append(incidentEnergies: Array(energies[..<2]), showers: Array(showers[..<(2 * 533)]))
                try writer.append(incidentEnergies: Array(energies[2...]), showers: Array(showers[(2 * 533)...]))
                #expect(writer.eventCount == 5)
                // Dropped here without finish(), as when a sampling run is killed.
            }
            #expect(!FileManager.default.fileExists(atPath: path))
            let partial = path + ".partial"
            #expect(try HDF5File(partial).attribute("events") == "5")
            #expect(try HDF5File(partial).attribute("complete") == "false")
            let reader = try CaloChallengeReader(path: partial)
            #expect(!reader.isComplete)
            #expect(reader.eventCount == 5)
            #expect(reader.geometry == .ds1Pions)
            let (e, s) = try reader.readAll()
            #expect(e == energies.map(Double.init))
            #expect(s == showers)
        }
    }

    @Test func finishMovesThePartialFileIntoPlace() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("done.h5").path
            let writer = try CaloChallengeWriter(path: path, geometry: .ds2)
            #expect(FileManager.default.fileExists(atPath: writer.partialPath))
            try writer.append(incidentEnergies: [1000], showers: [Float](repeating: 0.5, count: 6480))
            try writer.finish()
            #expect(!FileManager.default.fileExists(atPath: writer.partialPath))
            let reader = try CaloChallengeReader(path: path)
            #expect(reader.isComplete && reader.eventCount == 1)
            #expect(throws: CaloDataError.self) { try writer.append(incidentEnergies: [1], showers: [Float](repeating: 0, count: 6480)) }
        }
    }

    @Test func writerRejectsMismatchedBatchAndMissingFolder() throws {
        try withTemporaryDirectory { directory in
            let writer = try CaloChallengeWriter(path: directory.appendingPathComponent("x.h5").path, geometry: .ds1Photons)
            #expect(throws: CaloDataError.self) { try writer.append(incidentEnergies: [256, 512], showers: [Float](repeating: 0, count: 368)) }
            #expect(writer.eventCount == 0)
        }
        #expect(throws: CaloDataError.self) { try CaloChallengeWriter(path: "/nonexistent-caloforge/dir/x.h5", geometry: .ds2) }
    }
}
