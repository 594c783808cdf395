import ArgumentParser
import CaloModels
import Foundation
import Torch

/// `caloforge bench sample`: cost of one CaloDiffusion network evaluation and of one shower.
struct BenchSample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Time CaloDiffusion network evaluations (random weights, fp32) and derive ms per shower.",
        discussion: """
            For each batch size, times --evaluations forward passes of the U-Net (no gradients) \
            after --warmup untimed ones, at the configuration's real shapes, and reports milliseconds \
            per network evaluation and per shower (= evaluation time × sampling steps / batch). The \
            weights are random: speed does not depend on them. Compare with \
            bench/reference_calodiffusion.py (the reference PyTorch code, same shapes and threads) \
            run on the same machine; docs/benchmarks.md records both.

            Example:
              caloforge bench sample --config ds2 --batch-sizes 1,100 --device cpu --threads 2
            """
    )

    @Option(help: ArgumentHelp("Built-in model configuration (ds1-photons, ds1-pions, ds2, ds3, cpu-demo) or JSON file.", valueName: "name|file"))
    var config: String = "ds2"

    @Option(help: ArgumentHelp("Comma-separated batch sizes.", valueName: "list"))
    var batchSizes: String = "1,100,1000"

    @Option(help: "Timed network evaluations per batch size.")
    var evaluations: Int = 5

    @Option(help: "Untimed warm-up evaluations per batch size.")
    var warmup: Int = 2

    @Option(help: "Sampling steps used to convert evaluation time into time per shower (default: the configuration's).")
    var steps: Int?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var deviceOptions: DeviceOptions

    func parsedBatchSizes() throws -> [Int] {
        let values = batchSizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--batch-sizes must be a comma-separated list of positive integers, e.g. 1,100,1000; got '\(batchSizes)'.")
        }
        return values.map { $0! }
    }

    func validate() throws {
        _ = try parsedBatchSizes()
        guard evaluations >= 1 else { throw ValidationError("--evaluations must be at least 1; got \(evaluations).") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative; got \(warmup).") }
    }

    struct Row: Codable {
        var batch: Int
        var millisecondsPerEvaluation: Double
        var millisecondsPerShower: Double
    }

    struct Report: Codable {
        var config: String
        var parameters: Int
        var device: String
        var threads: Int
        var steps: Int
        var rows: [Row]
    }

    func run() throws {
        let device = try deviceOptions.resolve()
        let modelConfig = try CaloDiffusionModelConfig.load(config)
        let generator = try Generator(seed: 0)
        let network = try withDevice(device) { try CaloDiffusionUNet(config: modelConfig.network, generator: generator) }
        network.eval()
        let shape = try modelConfig.network.sampleShape()
        let steps = self.steps ?? modelConfig.samplingSteps
        let noiseGenerator = try Generator(seed: 1, device: device)
        func synchronize() throws { if case .cuda(let index) = device { try CUDA.synchronize(index) } }
        var rows: [Row] = []
        for batch in try parsedBatchSizes() {
            let x = try Tensor.randn([batch] + shape, device: device, generator: noiseGenerator)
            let level = try Tensor.full([batch], value: 0.5, device: device)
            let energy = try Tensor.full([batch], value: 0.3, device: device)
            try withNoGrad {
                for _ in 0..<warmup { _ = try network(x: x, noiseLevel: level, energy: energy) }
                try synchronize()
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<evaluations { _ = try network(x: x, noiseLevel: level, energy: energy) }
                try synchronize()
                let perEvaluation = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(evaluations)
                rows.append(Row(batch: batch, millisecondsPerEvaluation: perEvaluation,
                                millisecondsPerShower: perEvaluation * Double(steps) / Double(batch)))
            }
            if !json {
                let row = rows.last!
                print(String(format: "%@  batch %5d   %9.2f ms per network evaluation   %9.2f ms per shower (%d steps)",
                             modelConfig.name, batch, row.millisecondsPerEvaluation, row.millisecondsPerShower, steps))
            }
        }
        if json {
            let report = Report(config: modelConfig.name, parameters: network.parameterCount, device: device.description,
                                threads: Engine.threadCount, steps: steps, rows: rows)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }
}
