import ArgumentParser
import CaloData
import CaloEval
import Foundation
import Torch
import TorchNN

/// `caloforge bench classifier`: the cost of the CaloChallenge classifier tests — one training
/// step and one evaluation batch — and the epoch and 50-epoch times they imply.
struct BenchClassifier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier",
        abstract: "Time a training step and an evaluation batch of a classifier test (cls-resnet by default).",
        discussion: """
            Random inputs of the metric's width (dataset 2: 6481 columns for cls-low and cls-resnet, \
            6526 for cls-low-normed, 362 for cls-high) go through Adam steps (forward, backward, \
            update) and evaluation-mode batches of --batch events, as evaluate.py trains. From the \
            median times it projects one epoch — 1.2·N training events and 0.4·N test events for N \
            events per file, the official 60/20/20 split — and the official 50 epochs, for N = 10 000 \
            and 100 000. bench/reference_classifier.py times the official code the same way \
            (docs/benchmarks.md).
            """
    )

    @OptionGroup var deviceOptions: DeviceOptions

    /// The classifier tests this command can time.
    enum Test: String, CaseIterable, ExpressibleByArgument {
        case clsResnet = "cls-resnet", clsLow = "cls-low", clsLowNormed = "cls-low-normed", clsHigh = "cls-high"
    }

    @Option(help: "The classifier test.")
    var metric: Test = .clsResnet

    @Option(help: ArgumentHelp("Geometry name or binning XML file.", valueName: "name|file"))
    var geometry = "ds2"

    @Option(help: ArgumentHelp("Precision of the classifier: float64 is official.", valueName: "precision"))
    var dtype: ClassifierPrecision = .float64

    @Option(help: "Events per batch (official: 1000).")
    var batch = 1000

    @Option(help: "Timed training steps and evaluation batches each (after one warm-up of each).")
    var steps = 3

    @Option(help: "Depth of the cls-resnet network.")
    var resnetLayers = 18

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if batch < 2 { throw ValidationError("--batch must be at least 2 (batch normalisation needs two events); got \(batch).") }
        if steps < 1 { throw ValidationError("--steps must be at least 1; got \(steps).") }
        try validateGeometryName(geometry)
    }

    func run() throws {
        let device = try deviceOptions.resolve()
        let geometry = try resolveGeometry(geometry)
        let precision = dtype.dtype
        let layers = geometry.relevantLayers.count
        var architecture: any ClassifierArchitecture = DenseClassifierArchitecture()
        var width = geometry.voxelCount + 1
        switch metric {
        case .clsResnet:
            guard let shape = geometry.regularShape else {
                throw CleanExit.message("cls-resnet is not defined for \(geometry.name) (ds2 and ds3 only)")
            }
            architecture = ResNetClassifierArchitecture(depth: resnetLayers, imageShape: [shape.layers, shape.angular, shape.radial])
        case .clsLowNormed: width = geometry.voxelCount + 1 + layers
        case .clsHigh: width = 1 + layers + 4 * geometry.relevantLayers.filter(\.isAngularlyBinned).count + 1 + 3 * layers
        case .clsLow: break
        }
        let result = try ClassifierBenchmark.run(
            architecture: architecture, width: width, dtype: precision, batch: batch, steps: steps, device: device)
        if json {
            print(try JSONOutput.text(result))
        } else {
            print(result.text(metric: metric.rawValue, geometry: geometry.name))
        }
    }
}

/// Timings of one classifier network (``BenchClassifier``).
struct ClassifierBenchmark: Codable {
    var network: String
    var dtype: String
    var device: String
    var threads: Int
    var batch: Int
    var trainableParameters: Int
    var trainStepSeconds: Double
    var evaluationBatchSeconds: Double

    /// One epoch for `events` events per file: 1.2·N training and 0.4·N test events (official split).
    func epochSeconds(events: Int) -> Double {
        let trainBatches = (2 * events * 3 / 5 + batch - 1) / batch
        let testBatches = (2 * events / 5 + batch - 1) / batch
        return Double(trainBatches) * trainStepSeconds + Double(testBatches) * evaluationBatchSeconds
    }

    func text(metric: String, geometry: String) -> String {
        func duration(_ seconds: Double) -> String {
            seconds < 120 ? String(format: "%.0f s", seconds)
                : seconds < 7200 ? String(format: "%.1f min", seconds / 60) : String(format: "%.1f h", seconds / 3600)
        }
        var lines = [
            "\(metric) on \(geometry): \(network), \(dtype), \(trainableParameters) trainable parameters, \(device), \(threads) threads",
            String(format: "  training step (batch %d): %.2f s;  evaluation batch: %.2f s", batch, trainStepSeconds, evaluationBatchSeconds),
        ]
        for events in [10_000, 100_000] {
            let epoch = epochSeconds(events: events)
            lines.append("  \(events) events per file: one epoch \(duration(epoch)), 50 epochs \(duration(50 * epoch))")
        }
        return lines.joined(separator: "\n")
    }

    static func run(
        architecture: any ClassifierArchitecture, width: Int, dtype: DType, batch: Int, steps: Int, device: Device
    ) throws -> ClassifierBenchmark {
        let generator = try Generator(seed: 1)
        let network = try withDevice(device) {
            try architecture.makeNetwork(inputWidth: width, dtype: dtype, generator: generator, dropoutGenerator: generator)
        }
        let optimizer = Adam(parameters: network.parameters(), learningRate: 2e-4)
        let x = try (Tensor.rand([batch, width], generator: generator) * 0.01).to(dtype: dtype, device: device)
        let y = try Tensor.randint(0, 2, shape: [batch, 1], generator: generator).to(dtype: dtype, device: device)
        func median(_ work: () throws -> Void) throws -> Double {
            try work()
            var times: [Double] = []
            for _ in 0..<steps {
                let start = EngineBenchmark.now()
                try work()
                if case .cuda(let index) = device { try CUDA.synchronize(index) }
                times.append(EngineBenchmark.now() - start)
            }
            return times.sorted()[times.count / 2]
        }
        network.train()
        let train = try median {
            let loss = try binaryCrossEntropyWithLogits(network(x), y)
            try optimizer.zeroGrad()
            try loss.backward()
            try optimizer.step()
        }
        network.eval()
        let evaluation = try median { _ = try withNoGrad { try network(x).sigmoid() } }
        return ClassifierBenchmark(
            network: architecture.summary, dtype: dtype.description, device: device.description, threads: Engine.threadCount,
            batch: batch, trainableParameters: network.parameters().reduce(0) { $0 + $1.elementCount },
            trainStepSeconds: train, evaluationBatchSeconds: evaluation)
    }
}
