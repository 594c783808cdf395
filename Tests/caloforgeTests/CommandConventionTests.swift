import ArgumentParser
import CaloData
import Foundation
import Testing

@testable import caloforge

/// Item 8 of the issue list: a failure found at run time is a `CommandError` (message only), a bad
/// argument is an ArgumentParser error (message and usage).
@Suite struct CommandConventionTests {
    @Test func aRunTimeFailureThrowsACommandErrorWithoutUsage() throws {
        try withScratchFolder { folder in
            let output = folder.appendingPathComponent("pions.h5").path
            let command = try Synth.parse(["--geometry", "ds1-pions", "--count", "2", "--seed", "1", "-o", output])
            #expect(throws: CommandError.pionGeometryWithoutParticle(geometry: "ds1-pions")) { try command.run() }
            let message = Synth.fullMessage(for: CommandError.pionGeometryWithoutParticle(geometry: "ds1-pions"))
            #expect(message.contains("pass --particle electron or --particle photon"), "\(message)")
            #expect(!message.contains("Usage:"), "\(message)")
            #expect(contents(of: folder).isEmpty, "nothing was written")
        }
    }

    @Test(arguments: [
        CommandError.metricsFailed(failed: ["fpd", "kpd"], partial: "eval/partial"),
        .unfinishedEvaluation(folder: "eval", partial: "eval/partial"),
        .noOfficialThreshold(geometry: "binning_custom"),
        .geometryFileMissing(path: "binning.xml"),
    ])
    func evaluateFailuresPrintNoUsage(_ error: CommandError) {
        let message = Evaluate.fullMessage(for: error)
        #expect(message == "Error: \(error.description)")
        #expect(!message.contains("Usage:"))
        #expect(Evaluate.exitCode(for: error) == .failure)
    }

    @Test func failedMetricsAreNamedWithTheWayOn() {
        let text = CommandError.metricsFailed(failed: ["fpd", "kpd"], partial: "eval/partial").description
        #expect(text.hasPrefix("fpd, kpd failed; see the warnings above and metrics.json"))
        #expect(text.contains("kept in eval/partial") && text.contains("rerun with --resume"))
    }

    @Test func aMissingBinningFileFailsEvaluateWithoutUsage() throws {
        try withScratchFolder { folder in
            let missing = folder.appendingPathComponent("binning_missing.xml").path
            let (status, output) = try runCaloForge([
                "evaluate", "--reference", "r.h5", "--generated", "g.h5", "--geometry", missing,
                "--out", folder.appendingPathComponent("eval").path,
            ])
            #expect(status == 1)
            #expect(output.contains("--geometry \(missing): binning file does not exist"), "\(output)")
            #expect(!output.contains("Usage:"), "\(output)")
        }
    }

    @Test func aPionBinningFailsSynthWithoutUsage() throws {
        try withScratchFolder { folder in
            let (status, output) = try runCaloForge([
                "synth", "--geometry", "ds1-pions", "--count", "2", "--seed", "1", "-o", folder.appendingPathComponent("x.h5").path,
            ])
            #expect(status == 1)
            #expect(output.contains("is a pion binning"), "\(output)")
            #expect(!output.contains("Usage:"), "\(output)")
        }
    }

    @Test func aBadArgumentStillShowsTheUsage() throws {
        let (status, output) = try runCaloForge(["synth", "--geometry", "ds9", "--count", "2", "--seed", "1", "-o", "x.h5"])
        #expect(status != 0)
        #expect(output.contains("--geometry: unknown geometry"), "\(output)")
        #expect(output.contains("Usage:"), "\(output)")
    }
}
