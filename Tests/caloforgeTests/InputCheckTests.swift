import Foundation
import Testing
import Torch

/// Bad input values are refused before any work, naming file, dataset and row (issue 14, items 5, 7, 9).
@Suite struct InputCheckTests {
    /// A NaN incident energy in a generated or --reference2 file used to hang `evaluate` in the
    /// incident-energy comparison; now every input is checked first.
    @Test(arguments: ["--generated", "--reference2"])
    func evaluateRefusesANaNIncidentEnergyAtOnce(_ role: String) throws {
        try withScratchFolder { folder in
            let reference = folder.appendingPathComponent("reference.h5").path
            let good = folder.appendingPathComponent("good.h5").path
            let bad = folder.appendingPathComponent("bad.h5").path
            // A reference energy above all of the bad file's: the old KS loop reached the NaN with
            // reference values left and never advanced.
            let referenceEnergies = [Float](repeating: 1024, count: 9) + [8192]
            try writeShowerFile(reference, energies: referenceEnergies)
            try writeShowerFile(good, energies: referenceEnergies)
            var energies = [Float](repeating: 1024, count: 10)
            energies[4] = .nan
            try writeShowerFile(bad, energies: energies)
            let out = folder.appendingPathComponent("eval").path
            var arguments = ["evaluate", "--reference", reference, "--metrics", "pcc", "--no-plots", "--out", out]
            arguments += role == "--generated" ? ["--generated", bad] : ["--generated", good, "--reference2", bad]
            let (status, output) = try runCaloForge(arguments, timeLimit: 60)
            #expect(status == 1, "\(output)")
            #expect(output.contains("\(bad): dataset 'incident_energies' row 4 holds nan (not a finite number)"), "\(output)")
            #expect(!FileManager.default.fileExists(atPath: out), "a refused evaluation leaves no output folder")
        }
    }

    @Test func evaluateRefusesEmptyFiles() throws {
        try withScratchFolder { folder in
            let empty = folder.appendingPathComponent("empty.h5").path
            let other = folder.appendingPathComponent("empty2.h5").path
            try writeShowerFile(empty, energies: [])
            try writeShowerFile(other, energies: [])
            let (status, output) = try runCaloForge(
                ["evaluate", "--reference", empty, "--generated", other, "--metrics", "pcc", "--no-plots", "--out", folder.appendingPathComponent("eval").path],
                timeLimit: 60)
            #expect(status == 1, "\(output)")
            #expect(output.contains("\(empty) holds no events; give a file with at least one shower"), "\(output)")
        }
    }

    @Test func inspectCallsAnEmptyFileInvalid() throws {
        try withScratchFolder { folder in
            let empty = folder.appendingPathComponent("empty.h5").path
            try writeShowerFile(empty, energies: [])
            let (status, output) = try runCaloForge(["inspect", empty], timeLimit: 60)
            #expect(status == 1, "\(output)")
            #expect(output.contains("validation   INVALID: \(empty) holds no events"), "\(output)")
        }
    }

    /// `train --data` on an all-NaN file used to train with a finite loss.
    @Test func trainRefusesNaNShowersBeforeCreatingTheRun() throws {
        try withScratchFolder { folder in
            let data = folder.appendingPathComponent("nan.h5").path
            let voxels = 6480
            try writeShowerFile(data, energies: [2048, 4096], voxels: voxels, showers: [Float](repeating: .nan, count: 2 * voxels))
            let run = folder.appendingPathComponent("run")
            let (status, output) = try runCaloForge(["train", "--data", data, "--out", run.path, "--max-steps", "1"], timeLimit: 120)
            #expect(status == 1, "\(output)")
            #expect(output.contains("\(data): dataset 'showers' row 0 holds nan (not a finite number)"), "\(output)")
            #expect(!FileManager.default.fileExists(atPath: run.path))
        }
    }

    static let badEnergies: [(Float, String)] = [
        (.nan, "row 3 holds nan (not a finite number)"), (.infinity, "row 3 holds inf (not a finite number)"),
        (0, "row 3 holds 0.0 (incident energies must be positive)"), (-5, "row 3 holds -5.0 (incident energies must be positive)"),
        (2e7, "row 3 holds 20000000.0 MeV, outside the 100MeV … 10TeV the models accept"),
    ]

    /// `sample --energies-from` with such an energy used to write NaN or infinite showers and exit 0.
    @Test(arguments: badEnergies)
    func sampleRefusesABadEnergyNamingTheRow(_ energy: Float, _ message: String) throws {
        try withScratchFolder { folder in
            let energiesFile = folder.appendingPathComponent("energies.h5").path
            var energies = [Float](repeating: 1024, count: 6)
            energies[3] = energy
            try writeShowerFile(energiesFile, energies: energies)
            let output = folder.appendingPathComponent("gen.h5").path
            let (status, text) = try runCaloForge(["sample", "--energies-from", energiesFile, "--steps", "4", "-o", output], timeLimit: 120)
            #expect(status == 1, "\(text)")
            #expect(text.contains("\(energiesFile): dataset 'incident_energies' \(message)"), "\(text)")
            #expect(contents(of: folder) == ["energies.h5"], "nothing written, no .partial")
        }
    }

    @Test func sampleRefusesMoreShowersThanTheEnergiesFileHolds() throws {
        try withScratchFolder { folder in
            let energiesFile = folder.appendingPathComponent("energies.h5").path
            try writeValidFile(energiesFile, events: 5)
            let (status, text) = try runCaloForge(
                ["sample", "--energies-from", energiesFile, "--count", "8", "-o", folder.appendingPathComponent("gen.h5").path], timeLimit: 120)
            #expect(status == 1, "\(text)")
            #expect(text.contains("--count 8 asks for more showers than the 5 incident energies in \(energiesFile); drop --count"), "\(text)")
            #expect(contents(of: folder) == ["energies.h5"])
        }
    }

    @Test func sampleRefusesAnEmptyEnergiesFile() throws {
        try withScratchFolder { folder in
            let energiesFile = folder.appendingPathComponent("energies.h5").path
            try writeShowerFile(energiesFile, energies: [])
            let (status, text) = try runCaloForge(
                ["sample", "--energies-from", energiesFile, "-o", folder.appendingPathComponent("gen.h5").path], timeLimit: 120)
            #expect(status == 1, "\(text)")
            #expect(text.contains("\(energiesFile) holds no events"), "\(text)")
        }
    }

    /// Copies `source` with one value of the first float32 tensor (by name) set to NaN; returns its name.
    static func poisoned(_ source: URL, to destination: URL) throws -> String {
        let (tensors, metadata) = try Safetensors.load(source)
        let key = try #require(tensors.keys.sorted().first { tensors[$0]?.dtype == .float32 })
        let tensor = try #require(tensors[key])
        var values = try tensor.toArray(Float.self)
        values[0] = .nan
        var changed = tensors
        changed[key] = try Tensor(values, shape: tensor.shape)
        try Safetensors.save(changed, metadata: metadata, to: destination)
        return key
    }

    /// A checkpoint with one NaN weight used to sample all-NaN showers and exit 0.
    @Test func sampleRefusesACheckpointWithANaNWeight() throws {
        try withScratchFolder { folder in
            let model = folder.appendingPathComponent("nan.safetensors")
            let key = try Self.poisoned(repositoryRoot.appendingPathComponent("models/cpu-demo-ds2.safetensors"), to: model)
            let energiesFile = folder.appendingPathComponent("energies.h5").path
            try writeValidFile(energiesFile, events: 2)
            let (status, text) = try runCaloForge(
                ["sample", "--model", model.path, "--energies-from", energiesFile, "--steps", "4", "-o", folder.appendingPathComponent("gen.h5").path],
                timeLimit: 120)
            #expect(status == 1, "\(text)")
            #expect(text.contains("\(model.path): tensor '\(key)' holds 1 NaN or infinite value"), "\(text)")
            #expect(contents(of: folder) == ["energies.h5", "nan.safetensors"])
        }
    }

    /// `import` used to accept such a state dict.
    @Test func importRefusesAStateDictWithANaNWeight() throws {
        try withScratchFolder { folder in
            let source = folder.appendingPathComponent("ref.safetensors")
            let key = try Self.poisoned(ImportCommandTests.reference, to: source)
            let output = folder.appendingPathComponent("out.safetensors").path
            let (status, text) = try runCaloForge(["import", "--from", source.path, "--dataset", "ds2", "-o", output], timeLimit: 120)
            #expect(status == 1, "\(text)")
            #expect(text.contains("tensor '\(key)' holds 1 NaN or infinite value"), "\(text)")
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }
}
