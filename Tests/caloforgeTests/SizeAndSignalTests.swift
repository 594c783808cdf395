import Foundation
import Testing

/// Impossible sizes, option values and signals (issue 14, items 6 and 10).
@Suite struct SizeAndSignalTests {
    /// A huge --count used to abort with a Swift crash dump (exit 134).
    @Test(arguments: [
        ["synth", "--geometry", "ds2", "--seed", "1"], ["sample", "--energies", "fixed:10GeV", "--steps", "4"], ["bench", "synth"],
    ])
    func impossibleCountIsRefusedWithTheNumbers(_ command: [String]) throws {
        try withScratchFolder { folder in
            let output = command[0] == "bench" ? [] : ["-o", folder.appendingPathComponent("big.h5").path]
            let (status, text) = try runCaloForge(command + ["--count", "9223372036854775807"] + output, timeLimit: 120)
            #expect(status == 1, "\(text)")
            #expect(
                text.contains("--count 9223372036854775807 is impossible here: 9223372036854775807 showers of 6480 voxels are 239 ZB, more than a file can index"),
                "\(text)")
            #expect(!text.contains("Fatal error") && !text.contains("Backtrace"))
            #expect(contents(of: folder).isEmpty)
        }
    }

    @Test func countBeyondTheDiskIsRefused() throws {
        try withScratchFolder { folder in
            let (status, text) = try runCaloForge(
                ["synth", "--geometry", "ds2", "--seed", "1", "--count", "100000000000000", "-o", folder.appendingPathComponent("big.h5").path],
                timeLimit: 60)
            #expect(status == 1, "\(text)")
            #expect(text.contains("showers are 2.59 EB before compression and at least 2.51 PB even at gzip's best ratio (1032:1), but"), "\(text)")
            #expect(contents(of: folder).isEmpty)
        }
    }

    @Test func batchBeyondTheMemoryIsRefused() throws {
        let (status, text) = try runCaloForge(
            ["synth", "--geometry", "ds3", "--seed", "1", "--count", "1000000000", "--batch-size", "1000000000", "-o", "/tmp/never-written.h5"],
            timeLimit: 60)
        #expect(status == 1, "\(text)")
        #expect(text.contains("--batch-size 1000000000 is impossible here: a batch of 1000000000 showers needs about 486 TB of memory"), "\(text)")
    }

    /// Negative values used to read "Missing value for '--count'".
    @Test func negativeValuesGetTheRangeMessage() throws {
        let synth = try runCaloForge(["synth", "--geometry", "ds2", "--count", "-5", "--seed", "1", "-o", "/tmp/x.h5"], timeLimit: 60)
        #expect(synth.output.contains("--count must be at least 1; got -5."), "\(synth.output)")
        let sample = try runCaloForge(["sample", "--count", "3", "--batch-size", "-2", "-o", "/tmp/x.h5"], timeLimit: 60)
        #expect(sample.output.contains("--batch-size must be at least 1; got -2."), "\(sample.output)")
        let train = try runCaloForge(["train", "--data", "x.h5", "--out", "run", "--learning-rate", "-1e-3"], timeLimit: 60)
        #expect(train.output.contains("--learning-rate must be positive; got -0.001."), "\(train.output)")
        for result in [synth, sample, train] {
            #expect(result.status != 0)
            #expect(!result.output.contains("Missing value"), "\(result.output)")
        }
    }

    /// `bench engine --batch 0` used to print "inf µs".
    @Test(arguments: ["--batch", "--tiny-iterations", "--conv-iterations"])
    func benchEngineRefusesZero(_ option: String) throws {
        let (status, text) = try runCaloForge(["bench", "engine", "--device", "cpu", option, "0"], timeLimit: 60)
        #expect(status != 0)
        #expect(text.contains("\(option) must be at least 1; got 0."), "\(text)")
        #expect(!text.contains("inf µs"))
    }

    /// A `sample` started with `&` from a script inherits SIGINT ignored and used to run on; now it
    /// stops after the batch, keeps what it wrote in OUTPUT.partial and exits 130.
    @Test func sampleStopsOnSIGINTEvenWhenItWasIgnored() throws {
        try withScratchFolder { folder in
            let energiesFile = folder.appendingPathComponent("energies.h5").path
            try writeValidFile(energiesFile, events: 200)
            let output = folder.appendingPathComponent("gen.h5").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [
                "-c", "trap '' INT; exec \"$0\" \"$@\"", caloForgeBinary.path, "sample", "--energies-from", energiesFile,
                "--batch-size", "1", "--steps", "4", "--device", "cpu", "-o", output,
            ]
            process.currentDirectoryURL = repositoryRoot
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            // The .partial appears once the handler is installed; then interrupt as `kill -INT` would.
            for _ in 0..<600 where !FileManager.default.fileExists(atPath: output + ".partial") { usleep(100_000) }
            process.interrupt()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 130, "\(text)")
            #expect(text.contains("showers: they stay in \(output).partial, marked incomplete"), "\(text)")
            #expect(FileManager.default.fileExists(atPath: output + ".partial"))
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    /// Ctrl-C while the inputs are read used to be ignored until the metrics, and the second Ctrl-C
    /// said work was kept in `<out>/partial` when no such folder existed.
    @Test func evaluateInterruptedWhileReadingSaysNothingWasSaved() throws {
        try withScratchFolder { folder in
            let reference = folder.appendingPathComponent("reference.h5").path
            let voxels = 6480
            try writeShowerFile(reference, energies: [Float](repeating: 2048, count: 6000), voxels: voxels,
                                showers: [Float](repeating: 0.5, count: 6000 * voxels))
            let out = folder.appendingPathComponent("eval").path
            let process = Process()
            process.executableURL = caloForgeBinary
            process.arguments = ["evaluate", "--reference", reference, "--generated", reference, "--metrics", "pcc", "--no-plots", "--out", out]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            var text = ""
            while !text.contains("checking"), process.isRunning {
                text += String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
            }
            process.interrupt()
            usleep(50_000)
            process.interrupt()
            text += String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 130, "\(text)")
            #expect(text.contains("nothing was saved"), "\(text)")
            #expect(!text.contains("/partial"), "\(text)")
            #expect(!FileManager.default.fileExists(atPath: out + "/partial"))
        }
    }
}
