import ArgumentParser
import CaloModels
import Diffusion
import Foundation
import Torch

/// `caloforge bench sample`: milliseconds and network evaluations (NFE) per shower of any generator.
struct BenchSample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Time sampling of a model: milliseconds and network evaluations (NFE) per shower, per batch size.",
        discussion: """
            For each batch size, runs the whole sampler (--sampler and its knobs, as for `caloforge \
            sample`) --repeats times after one untimed warm-up batch, and reports milliseconds per \
            shower, network evaluations per shower (NFE) and milliseconds per network evaluation. \
            --model times a checkpoint; --config times a configuration with random weights (speed does \
            not depend on the weights). Compare ms per evaluation with bench/reference_calodiffusion.py \
            (the reference PyTorch code, same shapes and threads) on the same machine; \
            docs/benchmarks.md records both.

            Example:
              caloforge bench sample --config ds2 --batch-sizes 1,100 --sampler ddim --steps 12 --threads 1
              caloforge bench sample --model builtin --sampler euler --steps 4 --batch-sizes 1,100 --threads 1
            """
    )

    @Option(help: ArgumentHelp("A checkpoint to time, or 'builtin'.", valueName: "file"))
    var model: String?

    @Option(help: ArgumentHelp("A built-in configuration or JSON file to time with random weights (default: ds2 when --model is not given).", valueName: "name|file"))
    var config: String?

    @Option(help: ArgumentHelp("Comma-separated batch sizes.", valueName: "list"))
    var batchSizes: String = "1,100"

    @Option(help: "Timed batches per batch size.")
    var repeats: Int = 1

    @OptionGroup(title: "Sampler") var sampling: SamplingOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var deviceOptions: DeviceOptions

    @OptionGroup(title: "Precision") var precisionOptions: PrecisionOptions

    func parsedBatchSizes() throws -> [Int] {
        let values = batchSizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--batch-sizes must be a comma-separated list of positive integers, e.g. 1,100,1000; got '\(batchSizes)'.")
        }
        return values.map { $0! }
    }

    func validate() throws {
        _ = try parsedBatchSizes()
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1; got \(repeats).") }
        if model != nil && config != nil { throw ValidationError("Give either --model or --config, not both.") }
    }

    struct Row: Codable {
        var batch: Int
        var millisecondsPerShower: Double
        var networkEvaluationsPerShower: Int
        var millisecondsPerEvaluation: Double
    }

    struct Report: Codable {
        var model: String
        var modelKind: String
        var parameters: Int
        var device: String
        var threads: Int
        var precision: String
        var sampler: SamplerSettings
        var rows: [Row]
    }

    func run() throws {
        let device = try deviceOptions.resolve()
        let generatorModel: any ShowerGenerator
        let name: String
        if let model {
            let path = try BuiltInModel.resolve(model)
            generatorModel = try GeneratorRegistry.load(from: URL(fileURLWithPath: path), device: device)
            name = path
        } else {
            let configuration = try GeneratorRegistry.configuration(config ?? "ds2")
            generatorModel = try GeneratorRegistry.makeGenerator(configuration, device: device, generator: try Generator(seed: 0))
            name = configuration.name
        }
        try precisionOptions.apply(to: generatorModel.module)
        let settings = sampling.settings(modelDefault: generatorModel.defaultSampler)
        try generatorModel.checkSampling(settings)
        let noise = try Generator(seed: 1, device: device)
        func synchronize() throws { if case .cuda(let index) = device { try CUDA.synchronize(index) } }
        func energies(_ batch: Int) throws -> Tensor { try Tensor.full([batch, 1], value: 50_000, device: device) }
        func sample(_ batch: Int) throws -> GeneratedShowers {
            try precisionOptions.run(on: device) {
                try generatorModel.sample(incidentEnergies: try energies(batch), sampler: settings, generator: noise)
            }
        }
        _ = try sample(1)
        var rows: [Row] = []
        for batch in try parsedBatchSizes() {
            try synchronize()
            let start = DispatchTime.now().uptimeNanoseconds
            var evaluations = 0
            for _ in 0..<repeats {
                evaluations = try sample(batch).networkEvaluations
            }
            try synchronize()
            let perBatch = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(repeats)
            let row = Row(batch: batch, millisecondsPerShower: perBatch / Double(batch), networkEvaluationsPerShower: evaluations,
                          millisecondsPerEvaluation: perBatch / Double(Swift.max(evaluations, 1)))
            rows.append(row)
            if !json {
                print(String(format: "%@  %@  %@  batch %5d   %9.2f ms per shower   %4d NFE per shower   %9.2f ms per network evaluation",
                             generatorModel.configuration.name, settings.name, precisionOptions.label, batch, row.millisecondsPerShower,
                             row.networkEvaluationsPerShower, row.millisecondsPerEvaluation))
            }
        }
        if json {
            let report = Report(model: name, modelKind: generatorModel.modelKind, parameters: generatorModel.parameterCount,
                                device: device.description, threads: Engine.threadCount,
                                precision: precisionOptions.label, sampler: try settings.resolved(), rows: rows)
            print(try JSONOutput.text(report))
        }
    }
}
