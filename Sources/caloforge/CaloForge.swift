import ArgumentParser
import CaloModels
import Foundation
import Logging
import Torch

@main
struct CaloForge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caloforge",
        abstract: "Simulate calorimeter showers with diffusion models, fast, and prove they are faithful.",
        discussion: """
            CaloForge trains diffusion models on CaloChallenge-format Geant4 showers, samples new \
            showers from them, and evaluates the result with the CaloChallenge metrics.

            Start with `caloforge env` to see the engine (LibTorch, threads, CUDA, HDF5) this \
            machine offers.
            """,
        version: CaloForgeVersion.string,
        subcommands: [
            Env.self, Synth.self, Inspect.self, Train.self, Sample.self, Evaluate.self, Import.self, Bench.self,
        ]
    )

    /// Bootstraps logging (the only place that does), then runs the parsed command.
    static func main() {
        CommandLogging.bootstrap()
        main(NegativeValueArguments.joined(Array(CommandLine.arguments.dropFirst())))
    }
}
