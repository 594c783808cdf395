import Testing

@testable import caloforge

/// The messages of the cases added for run-time failures: each names the thing and what to do.
@Suite struct CommandErrorTests {
    @Test(arguments: [
        (CommandError.geometryFileMissing(path: "b.xml"), ["--geometry b.xml", "ds1-photons, ds1-pions, ds2, ds3"]),
        (.noOfficialThreshold(geometry: "custom"), ["'custom'", "pass --threshold"]),
        (.unfinishedEvaluation(folder: "e", partial: "e/partial"), ["--out e", "e/partial", "--resume", "--restart"]),
        (.metricsFailed(failed: [], partial: "e/partial"), ["some metrics failed", "--resume"]),
        (.pionGeometryWithoutParticle(geometry: "ds1-pions"), ["ds1-pions", "--particle electron"]),
        (.generatorProducedNaN(geometry: "ds2", seed: 7), ["ds2, seed 7", "report"]),
        (.inputMissing(option: "--model", path: "m.safetensors", hint: "a checkpoint or 'builtin'"), ["--model m.safetensors does not exist", "'builtin'"]),
        (.builtInModelMissing(relativePath: "models/x.safetensors"), ["models/x.safetensors", "--model FILE"]),
        (.configurationChanged(config: "ds2", folder: "run"), ["--config ds2", "run", "drop --config"]),
    ])
    func messageNamesTheThingAndTheWayOn(_ error: CommandError, _ parts: [String]) {
        for part in parts { #expect(error.description.contains(part), "'\(part)' missing in: \(error.description)") }
        #expect(!error.description.hasSuffix("."), "one sentence, no final stop, like the other cases")
        #expect(error.errorDescription == error.description)
    }
}
