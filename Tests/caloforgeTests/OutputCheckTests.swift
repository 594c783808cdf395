import Foundation
import Testing

/// Outputs are checked, and never destroy an input or another run's work, before any work starts
/// (issue 14, items 8, 9, 10).
@Suite struct OutputCheckTests {
    /// `sample -o` equal to its `--energies-from` file used to replace the reference file.
    @Test func sampleRefusesToOverwriteItsEnergiesFile() throws {
        try withScratchFolder { folder in
            let energiesFile = folder.appendingPathComponent("reference.h5").path
            try writeValidFile(energiesFile, events: 3)
            let before = try Data(contentsOf: URL(fileURLWithPath: energiesFile))
            let alias = folder.appendingPathComponent("./reference.h5").path
            let (status, text) = try runCaloForge(["sample", "--energies-from", energiesFile, "--steps", "4", "-o", alias], timeLimit: 120)
            #expect(status == 1, "\(text)")
            #expect(text.contains("-o/--output \(alias) is also the --energies-from file, which writing it would destroy"), "\(text)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: energiesFile)) == before)
            #expect(contents(of: folder) == ["reference.h5"])
        }
    }

    /// `--steps 2` used to pass the option checks and fail after creating (and leaving) the `.partial`
    /// (a CaloDiffusion model, whose DDPM sampling skips its first levels: the former built-in model).
    @Test func sampleRefusesTooFewStepsBeforeWriting() throws {
        try withScratchFolder { folder in
            let energiesFile = folder.appendingPathComponent("energies.h5").path
            try writeValidFile(energiesFile, events: 2)
            let model = repositoryRoot.appendingPathComponent("models/cpu-demo-ds2.safetensors").path
            for steps in ["2", "3"] {
                let (status, text) = try runCaloForge(
                    ["sample", "--model", model, "--energies-from", energiesFile, "--steps", steps, "-o", folder.appendingPathComponent("gen.h5").path],
                    timeLimit: 120)
                #expect(status == 1, "\(text)")
                #expect(text.contains("sampling this model needs at least 4 steps"), "\(text)")
            }
            #expect(contents(of: folder) == ["energies.h5"], "no .partial left behind")
        }
    }

    /// Output paths that can never be written are refused before the model is even loaded.
    @Test func sampleAndSynthRefuseUnusableOutputPaths() throws {
        try withScratchFolder { folder in
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("taken.h5.json"), withIntermediateDirectories: true)
            let cases: [(String, String)] = [
                (folder.path, "-o/--output \(folder.path) is a folder; give a file name inside it"),
                ("", "-o/--output is empty; give a path"),
                (folder.appendingPathComponent("missing/gen.h5").path, "folder \(folder.path)/missing does not exist; create it first"),
                (folder.appendingPathComponent("taken.h5").path, "taken.h5.json is a folder, but the command writes a file there"),
            ]
            for (output, message) in cases {
                let sample = try runCaloForge(["sample", "--count", "2", "--energies", "fixed:10GeV", "-o", output], timeLimit: 60)
                #expect(sample.status != 0 && sample.output.contains(message), "sample -o '\(output)': \(sample.output)")
                let synth = try runCaloForge(["synth", "--geometry", "ds2", "--count", "2", "--seed", "1", "-o", output], timeLimit: 60)
                #expect(synth.status != 0 && synth.output.contains(message), "synth -o '\(output)': \(synth.output)")
                #expect(!sample.output.contains("NSCocoaErrorDomain") && !synth.output.contains("NSCocoaErrorDomain"))
            }
            #expect(contents(of: folder) == ["taken.h5.json"])
        }
    }

    @Test func folderGivenAsModelOrSourceIsNamed() throws {
        try withScratchFolder { folder in
            let energiesFile = folder.appendingPathComponent("energies.h5").path
            try writeValidFile(energiesFile, events: 2)
            let sample = try runCaloForge(
                ["sample", "--model", folder.path, "--energies-from", energiesFile, "-o", folder.appendingPathComponent("gen.h5").path], timeLimit: 60)
            #expect(sample.status == 1)
            #expect(sample.output.contains("--model \(folder.path) is a folder; give the file itself"), "\(sample.output)")
            let imported = try runCaloForge(
                ["import", "--from", folder.path, "--dataset", "ds2", "-o", folder.appendingPathComponent("x.safetensors").path], timeLimit: 60)
            #expect(imported.status == 1)
            #expect(imported.output.contains("--from \(folder.path) is a folder"), "\(imported.output)")
            #expect(!sample.output.contains("NSCocoaErrorDomain") && !imported.output.contains("NSCocoaErrorDomain"))
        }
    }

    @Test func importRefusesToOverwriteItsSource() throws {
        try withScratchFolder { folder in
            let source = folder.appendingPathComponent("ref.safetensors")
            try FileManager.default.copyItem(at: ImportCommandTests.reference, to: source)
            let (status, text) = try runCaloForge(["import", "--from", source.path, "--dataset", "ds2", "-o", source.path], timeLimit: 60)
            #expect(status == 1)
            #expect(text.contains("is also the --from file"), "\(text)")
        }
    }

    // MARK: train

    /// A tiny run folder as `train` leaves it: config.json (seed 1234, batch size 4) and a checkpoint.
    static func fakeRun(in folder: URL) throws -> URL {
        let run = folder.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        let (status, config) = try runCaloForge(
            ["train", "--config", "cpu-demo", "--data", "unused.h5", "--out", run.path, "--batch-size", "4", "--print-config"], timeLimit: 60)
        try #require(status == 0, "\(config)")
        try config.write(to: run.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try Data("not really a checkpoint".utf8).write(to: run.appendingPathComponent("last.safetensors"))
        return run
    }

    /// A one-event ds2 file for `train --data` (every refusal below comes before training).
    static func trainingFile(in folder: URL) throws -> String {
        let data = folder.appendingPathComponent("data.h5").path
        try writeShowerFile(data, energies: [2048], voxels: 6480)
        return data
    }

    /// `train` into an existing run without --resume used to overwrite last.safetensors and mix the folder.
    @Test func trainRefusesAnExistingRunWithoutResume() throws {
        try withScratchFolder { folder in
            let run = try Self.fakeRun(in: folder)
            let data = try Self.trainingFile(in: folder)
            let before = try Data(contentsOf: run.appendingPathComponent("last.safetensors"))
            let (status, text) = try runCaloForge(["train", "--data", data, "--out", run.path], timeLimit: 60)
            #expect(status == 1, "\(text)")
            #expect(
                text.contains("\(run.path) already holds a training run (config.json, last.safetensors); pass --resume to continue it, --overwrite to replace it"),
                "\(text)")
            #expect(try Data(contentsOf: run.appendingPathComponent("last.safetensors")) == before)
            let both = try runCaloForge(["train", "--data", data, "--out", run.path, "--resume", "--overwrite"], timeLimit: 60)
            #expect(both.status != 0 && both.output.contains("--resume and --overwrite exclude each other"), "\(both.output)")
        }
    }

    /// A refused --resume used to rewrite config.json first (so the plain --resume failed too), and
    /// its message did not name the changed option.
    @Test func refusedResumeNamesTheChangesAndTouchesNothing() throws {
        try withScratchFolder { folder in
            let run = try Self.fakeRun(in: folder)
            let data = try Self.trainingFile(in: folder)
            let config = try Data(contentsOf: run.appendingPathComponent("config.json"))
            let (status, text) = try runCaloForge(
                ["train", "--data", data, "--out", run.path, "--resume", "--seed", "9", "--batch-size", "8"], timeLimit: 60)
            #expect(status == 1, "\(text)")
            #expect(
                text.contains("cannot resume the run in \(run.path) with changed settings: --seed was 1234 in the run, now 9; --batch-size was 4 in the run, now 8"),
                "\(text)")
            #expect(try Data(contentsOf: run.appendingPathComponent("config.json")) == config)
            #expect(contents(of: run) == ["config.json", "last.safetensors"])
        }
    }

    @Test func resumeWithoutARunIsNamed() throws {
        try withScratchFolder { folder in
            let data = try Self.trainingFile(in: folder)
            let run = folder.appendingPathComponent("new").path
            let (status, text) = try runCaloForge(["train", "--data", data, "--out", run, "--resume"], timeLimit: 60)
            #expect(status == 1, "\(text)")
            #expect(text.contains("--resume: \(run) holds no run to resume (no last.safetensors)"), "\(text)")
            #expect(!FileManager.default.fileExists(atPath: run))
        }
    }

    /// `train --out` naming a file used to print NSCocoaErrorDomain Code=516.
    @Test func trainOutNamingAFileIsNamed() throws {
        try withScratchFolder { folder in
            let data = try Self.trainingFile(in: folder)
            let (status, text) = try runCaloForge(["train", "--data", data, "--out", data], timeLimit: 60)
            #expect(status == 1, "\(text)")
            #expect(text.contains("--out \(data) is a file; give a folder"), "\(text)")
            #expect(!text.contains("NSCocoaErrorDomain"))
        }
    }

    @Test(.enabled(if: getuid() != 0, "root writes into read-only folders"))
    func unwritableOutputFolderIsNamed() throws {
        try withScratchFolder { folder in
            let locked = folder.appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path) }
            let data = try Self.trainingFile(in: folder)
            let train = try runCaloForge(["train", "--data", data, "--out", locked.appendingPathComponent("run").path], timeLimit: 60)
            #expect(train.status == 1 && train.output.contains("\(locked.path) is not writable"), "\(train.output)")
            let synth = try runCaloForge(["synth", "--geometry", "ds2", "--count", "2", "--seed", "1", "-o", locked.appendingPathComponent("x.h5").path], timeLimit: 60)
            #expect(synth.status != 0 && synth.output.contains("\(locked.path) is not writable"), "\(synth.output)")
        }
    }

    // MARK: locks

    /// `evaluate` arguments scoring a small valid file against itself (pcc only) into `out`.
    static func smallEvaluation(in folder: URL, out: URL) throws -> [String] {
        let reference = folder.appendingPathComponent("reference.h5").path
        try writeValidFile(reference)
        return ["evaluate", "--reference", reference, "--generated", reference, "--metrics", "pcc", "--no-plots", "--out", out.path]
    }

    /// Two `evaluate` (or `train`) runs into one --out used to both exit 0 with a mixed result.
    @Test func secondRunIntoALockedFolderNamesTheHolder() throws {
        try withScratchFolder { folder in
            let out = folder.appendingPathComponent("eval")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let holder = "pid 4242 on somehost, caloforge evaluate, started 2026-01-01T00:00:00Z"
            try withForeignLock(on: out.appendingPathComponent(".lock").path, holder: holder) {
                let evaluate = try runCaloForge(try Self.smallEvaluation(in: folder, out: out), timeLimit: 60)
                #expect(evaluate.status == 1, "\(evaluate.output)")
                #expect(evaluate.output.contains("\(out.path) is in use by another caloforge run (\(holder))"), "\(evaluate.output)")
                let data = try Self.trainingFile(in: folder)
                let train = try runCaloForge(["train", "--data", data, "--out", out.path, "--max-steps", "1"], timeLimit: 60)
                #expect(train.status == 1, "\(train.output)")
                #expect(train.output.contains("is in use by another caloforge run (\(holder))"), "\(train.output)")
            }
            #expect(contents(of: out) == [".lock"], "nothing written by the refused runs")
        }
    }

    /// A lock file left by a killed run (no process holds it) is taken over.
    @Test func staleLockIsTakenOver() throws {
        try withScratchFolder { folder in
            let out = folder.appendingPathComponent("eval")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            try "pid 1 on gone, caloforge evaluate".write(to: out.appendingPathComponent(".lock"), atomically: true, encoding: .utf8)
            let (status, text) = try runCaloForge(try Self.smallEvaluation(in: folder, out: out), timeLimit: 120)
            #expect(status == 0, "\(text)")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("metrics.json").path))
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".lock").path), "released at the end")
        }
    }

    /// An output file that is a folder used to surface only after every metric (NSCocoaErrorDomain).
    @Test func evaluateRefusesAFolderWhereAnOutputFileGoes() throws {
        try withScratchFolder { folder in
            let out = folder.appendingPathComponent("eval")
            try FileManager.default.createDirectory(at: out.appendingPathComponent("metrics.json"), withIntermediateDirectories: true)
            let (status, text) = try runCaloForge(try Self.smallEvaluation(in: folder, out: out), timeLimit: 60)
            #expect(status == 1, "\(text)")
            #expect(text.contains("\(out.path)/metrics.json is a folder"), "\(text)")
            #expect(!text.contains("features reference"), "refused before reading")
        }
    }
}
