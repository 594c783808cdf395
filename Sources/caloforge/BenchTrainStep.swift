import ArgumentParser
import CaloModels
import Foundation
import Torch
import TorchNN

/// `caloforge bench train-step`: milliseconds per training step (loss, backward, AdamW step) of any generator.
struct BenchTrainStep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-step",
        abstract: "Time one training step of a model: loss, backward pass and AdamW update on one batch.",
        discussion: """
            Trains on synthetic showers of the model's geometry (a fresh --config model fits its preprocessing on \
            them first): one untimed warm-up step, then --repeats timed steps on the same batch, reporting the \
            median and the mean milliseconds per step. --precision bf16 runs the loss (the forward pass) under \
            bfloat16 autocast; the backward pass follows the forward's dtypes, as in PyTorch.

            Example:
              caloforge bench train-step --model builtin --batch-size 32 --threads 1 --precision bf16
              caloforge bench train-step --config two-stage-ds2 --batch-size 32 --threads 1
            """
    )

    @OptionGroup var modelOptions: BenchModelOptions

    @Option(help: "Showers per training step.")
    var batchSize: Int = 32

    @Option(help: "Timed steps.")
    var repeats: Int = 5

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var deviceOptions: DeviceOptions

    @OptionGroup(title: "Precision") var precisionOptions: PrecisionOptions

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1; got \(batchSize).") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1; got \(repeats).") }
    }

    struct Report: Codable {
        var model: String
        var modelKind: String
        var parameters: Int
        var device: String
        var threads: Int
        var precision: String
        var batch: Int
        var medianMillisecondsPerStep: Double
        var meanMillisecondsPerStep: Double
        var firstLoss: Double
    }

    func run() throws {
        let device = try deviceOptions.resolve()
        let (model, name, isFresh) = try modelOptions.load(device: device)
        let batch = try BenchModelOptions.trainingBatch(for: model, isFresh: isFresh, batchSize: batchSize, device: device)
        try precisionOptions.apply(to: model.module)
        model.module.train()
        let optimizer = AdamW(parameters: model.module.parameters(), learningRate: 1e-4)
        let noise = try Generator(seed: 3, device: device)
        func step() throws -> Double {
            try optimizer.zeroGrad()
            let loss = try precisionOptions.run(on: device) { try model.loss(batch, generator: noise) }
            try loss.backward()
            try optimizer.step()
            return try loss.item()
        }
        func synchronize() throws { if case .cuda(let index) = device { try CUDA.synchronize(index) } }
        let firstLoss = try step()
        var times: [Double] = []
        for _ in 0..<repeats {
            try synchronize()
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try step()
            try synchronize()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        let sorted = times.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let report = Report(model: name, modelKind: model.modelKind, parameters: model.parameterCount, device: device.description,
                            threads: Engine.threadCount, precision: precisionOptions.label, batch: batchSize,
                            medianMillisecondsPerStep: median, meanMillisecondsPerStep: times.reduce(0, +) / Double(times.count),
                            firstLoss: firstLoss)
        if json {
            print(try JSONOutput.text(report))
        } else {
            print(String(format: "%@  %@  batch %4d   %9.1f ms per training step (median of %d; mean %.1f)   loss %.5g",
                         model.configuration.name, precisionOptions.label, batchSize, median, repeats, report.meanMillisecondsPerStep,
                         firstLoss))
        }
    }
}
