import ArgumentParser

/// `-o/--output FILE.h5`, shared by the commands that write a CaloChallenge file (`synth`, `sample`): the file is
/// written as OUTPUT.partial and moved into place when complete, and the run's settings go to OUTPUT.json.
struct ShowerOutputOptions: ParsableArguments {
    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: ArgumentHelp("Output CaloChallenge HDF5 file (written as OUTPUT.partial, settings in OUTPUT.json).", valueName: "file.h5"))
    var output: String

    /// Refuses an output that cannot be written, or whose OUTPUT.json or OUTPUT.partial would land on a folder,
    /// before any work starts.
    func check() throws {
        try OutputPath.checkFile(output, option: "-o/--output", companions: [".json", ".partial"])
    }
}
