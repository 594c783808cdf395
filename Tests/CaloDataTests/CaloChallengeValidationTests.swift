import CaloData
import Foundation
import Testing

/// The complete scan every command runs on its input files before any work, and the writer's refusal
/// of values that would make a complete-looking but broken file.
@Suite struct CaloChallengeValidationTests {
    @Test func emptyFileIsRefused() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("empty.h5").path
            try CaloChallengeFileTests.writeRaw(path, [("incident_energies", 1, []), ("showers", 368, [])])
            let reader = try CaloChallengeReader(path: path)
            #expect(throws: CaloDataError.emptyFile(path: path)) { try reader.validateValues() }
            #expect(throws: CaloDataError.emptyFile(path: path)) { try reader.validateIncidentEnergies() }
            #expect(CaloDataError.emptyFile(path: path).description == "\(path) holds no events; give a file with at least one shower")
        }
    }

    @Test func negativeVoxelsAreCountedWhereAllowed() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("negative.h5").path
            var showers = [Float](repeating: 1, count: 3 * 368)
            showers[2] = -1
            showers[368 + 7] = -0.5
            try CaloChallengeFileTests.writeRaw(path, [("incident_energies", 1, [256, 512, 1024]), ("showers", 368, showers)])
            let reader = try CaloChallengeReader(path: path)
            let validation = try reader.validateValues(allowingNegativeVoxels: true)
            #expect(validation.events == 3)
            #expect(validation.negativeVoxels == 2)
            #expect(throws: CaloDataError.self) { try reader.validateValues() }
        }
    }

    /// A 40-event ds2 file is scanned in batches (of 647 events for the 16 MB budget, so one here) and
    /// the scan stops at the first batch boundary after `shouldStop` turns true.
    @Test func scanReportsProgressAndStopsWhenAsked() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("ds2.h5").path
            let voxels = Geometry.ds2.voxelCount
            try CaloChallengeFileTests.writeRaw(
                path, [("incident_energies", 1, [Float](repeating: 2048, count: 40)), ("showers", voxels, [Float](repeating: 0, count: 40 * voxels))])
            let reader = try CaloChallengeReader(path: path)
            var seen: [Int] = []
            #expect(try reader.validateValues(progress: { seen.append($0) }).events == 40)
            #expect(seen == [40])
            #expect(throws: CaloDataError.interrupted(path: path)) { try reader.validateValues(shouldStop: { true }) }
        }
    }

    @Test(arguments: [Float.nan, .infinity, 0, -5])
    func writerRefusesAnEnergyThatIsNotFinitePositive(_ energy: Float) throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("out.h5").path
            let writer = try CaloChallengeWriter(path: path, geometry: .ds1Photons)
            try writer.append(incidentEnergies: [512], showers: [Float](repeating: 1, count: 368))
            #expect {
                try writer.append(incidentEnergies: [1024, energy], showers: [Float](repeating: 1, count: 2 * 368))
            } throws: { error in
                guard case .invalidOutput(path, "incident_energies", 2, let value)? = error as? CaloDataError else { return false }
                return value.isNaN ? energy.isNaN : value == Double(energy)
            }
            #expect(writer.eventCount == 1, "nothing of the refused batch is written")
            #expect(try HDF5File(path + ".partial").attribute("complete") == "false")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func writerRefusesANonFiniteVoxel() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("out.h5").path
            let writer = try CaloChallengeWriter(path: path, geometry: .ds1Photons)
            var showers = [Float](repeating: 1, count: 2 * 368)
            showers[368 + 9] = .nan
            let error = CaloDataError.invalidOutput(path: path, dataset: "showers", row: 1, value: .nan)
            #expect(throws: CaloDataError.self) { try writer.append(incidentEnergies: [512, 1024], showers: showers) }
            #expect(writer.eventCount == 0)
            #expect(
                error.description
                    == "refusing to write nan to dataset 'showers' row 1 of \(path); the events written so far stay in \(path).partial, marked incomplete")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}

/// The spectrum's energies a batch at a time (what lets synth, sample and bench synth stream).
@Suite struct IncidentEnergyStreamTests {
    @Test(arguments: ["log-uniform:1GeV:1TeV", "fixed:10GeV", "ds1"])
    func batchesGiveTheWholeRunsValues(_ text: String) throws {
        let spectrum = try IncidentSpectrum(parsing: text)
        let whole = spectrum.energies(count: 1000, seed: 9)
        var stream = IncidentEnergyStream(spectrum: spectrum, count: 1000, seed: 9)
        var pieces: [Double] = []
        for size in [1, 7, 500, 1000] { pieces += stream.next(size) }
        #expect(pieces == whole)
        #expect(stream.next(5).isEmpty, "nothing after the run's end")
        #expect(IncidentEnergyStream.heldBytes(spectrum: spectrum, count: 1000) == (text == "ds1" ? 8000 : 0))
    }
}
