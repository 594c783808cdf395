import Foundation
import Testing

/// A scratch folder removed when the test ends.
private func withScratch<T>(_ body: (URL) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

/// A tiny model configuration file (the smallest ds2 U-Net), so the CLI round trip stays fast.
private func writeTinyConfig(in folder: URL) throws -> String {
    let (status, output) = try runCaloForge(["train", "--config", "cpu-demo", "--data", "unused.h5", "--out", folder.path, "--print-config"])
    #expect(status == 0, "\(output)")
    var json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    var network = try #require(json["network"] as? [String: Any])
    network["layerSizes"] = [4, 4, 4, 8]
    network["groupNormGroups"] = 2
    network["conditionSize"] = 8
    network["name"] = "tiny"
    json["network"] = network
    json["name"] = "tiny"
    json["samplingSteps"] = 6
    var training = try #require(json["training"] as? [String: Any])
    training["batchSize"] = 4
    json["training"] = training
    let path = folder.appendingPathComponent("tiny.json").path
    try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite struct TrainSampleCommandTests {
    @Test func trainResumeSampleRoundTrip() throws {
        try withScratch { folder in
            let data = folder.appendingPathComponent("train.h5").path
            #expect(try runCaloForge(["synth", "--geometry", "ds2", "--count", "12", "--seed", "2", "-o", data]).status == 0)
            let config = try writeTinyConfig(in: folder)
            let run = folder.appendingPathComponent("run").path
            var result = try runCaloForge(["train", "--config", config, "--data", data, "--out", run, "--max-steps", "2", "--device", "cpu"])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("reached the step limit after 2 steps"))
            for file in ["config.json", "last.safetensors", "best.safetensors"] {
                #expect(FileManager.default.fileExists(atPath: "\(run)/\(file)"), "\(file) missing")
            }
            result = try runCaloForge(["train", "--data", data, "--out", run, "--resume", "--max-steps", "3", "--device", "cpu"])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("after 3 steps"), "resume continues from step 2: \(result.output)")

            let generated = folder.appendingPathComponent("gen.h5").path
            result = try runCaloForge([
                "sample", "--model", "\(run)/best.safetensors", "--energies-from", data, "--count", "3", "--steps", "4",
                "--seed", "5", "--device", "cpu", "-o", generated,
            ])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("wrote 3 showers"))
            let inspect = try runCaloForge(["inspect", generated])
            #expect(inspect.status == 0, "\(inspect.output)")
            #expect(FileManager.default.fileExists(atPath: generated + ".json"))
        }
    }

    @Test func badInputsGiveClearErrors() throws {
        try withScratch { folder in
            var result = try runCaloForge(["train", "--config", "no-such-config", "--data", "x.h5", "--out", folder.path])
            #expect(result.status != 0)
            #expect(result.output.contains("neither a built-in configuration"), "\(result.output)")

            result = try runCaloForge(["train", "--config", "cpu-demo", "--data", folder.appendingPathComponent("missing.h5").path,
                                       "--out", folder.path, "--device", "cpu"])
            #expect(result.status != 0)
            #expect(result.output.contains("missing.h5"), "\(result.output)")
            #expect(!result.output.contains("Fatal error"))

            // A ds1 file given to a ds2 model: the geometry mismatch is named.
            let ds1 = folder.appendingPathComponent("ds1.h5").path
            #expect(try runCaloForge(["synth", "--geometry", "ds1-photons", "--count", "4", "--seed", "1", "-o", ds1]).status == 0)
            result = try runCaloForge(["train", "--config", "cpu-demo", "--data", ds1, "--out", folder.path, "--device", "cpu"])
            #expect(result.status != 0)
            #expect(result.output.contains("6480"), "\(result.output)")

            result = try runCaloForge(["train", "--data", ds1, "--out", folder.appendingPathComponent("none").path, "--resume",
                                       "--device", "cpu"])
            #expect(result.status != 0)

            result = try runCaloForge(["sample", "--model", ds1, "--count", "2", "-o", folder.appendingPathComponent("g.h5").path])
            #expect(result.status != 0)
            #expect(result.output.contains("safetensors") || result.output.contains("checkpoint"), "\(result.output)")

            result = try runCaloForge(["sample", "--count", "2", "--energies", "fixed:1GeV", "--energies-from", ds1, "-o", "g.h5"])
            #expect(result.status != 0)
            #expect(result.output.contains("either --energies or --energies-from"))
        }
    }
}
