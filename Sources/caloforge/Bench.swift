import ArgumentParser

/// `caloforge bench`: speed measurements (benchmarks live here, never in timed tests).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed: engine overhead and kernels, sampling, training steps, precision effects, synthetic showers, classifier tests.",
        subcommands: [BenchEngine.self, BenchSample.self, BenchTrainStep.self, BenchPrecision.self, BenchSynth.self, BenchClassifier.self]
    )
}
