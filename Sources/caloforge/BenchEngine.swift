import ArgumentParser
import Foundation
import Torch

/// `caloforge bench engine`: the Swift→shim→ATen overhead of a tiny op, and conv3d at
/// CaloDiffusion's dataset-2 shapes.
struct BenchEngine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time a tiny op (per-call overhead) and conv3d forward+backward at dataset-2 shapes.",
        discussion: """
            The tiny-op figure is the cost of one `a + b` on 1-element CPU tensors through Swift, \
            the C shim and ATen; compare it with bench/aten_overhead (the same op called from C++). \
            The conv3d figure is a 3×3×3 convolution, 32→32 channels, on a [batch, 32, 45, 16, 9] \
            input (CaloDiffusion's first U-Net level for dataset 2), forward and backward.
            """
    )

    @OptionGroup var deviceOptions: DeviceOptions

    @Option(help: "Calls of the tiny op to time.")
    var tinyIterations = 200_000

    @Option(help: "Batch size of the conv3d input.")
    var batch = 128

    @Option(help: "Timed conv3d forward+backward iterations (after 2 warm-up ones).")
    var convIterations = 5

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if tinyIterations < 1 { throw ValidationError("--tiny-iterations must be at least 1; got \(tinyIterations).") }
        if batch < 1 { throw ValidationError("--batch must be at least 1; got \(batch).") }
        if convIterations < 1 { throw ValidationError("--conv-iterations must be at least 1; got \(convIterations).") }
    }

    func run() throws {
        let device = try deviceOptions.resolve()
        let result = try EngineBenchmark.run(device: device, tinyIterations: tinyIterations, batch: batch, convIterations: convIterations)
        if json {
            print(try JSONOutput.text(result))
        } else {
            print(result.text)
        }
    }
}

struct EngineBenchmark: Codable {
    var device: String
    var threads: Int
    var tinyOpMicroseconds: Double
    var convShape: [Int]
    var convForwardMilliseconds: Double
    var convForwardBackwardMilliseconds: Double

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    static func run(device: Device, tinyIterations: Int, batch: Int, convIterations: Int) throws -> EngineBenchmark {
        // Tiny op on the CPU: the fixed cost of one call through every layer.
        let a = try Tensor([Float(1)])
        let b = try Tensor([Float(2)])
        for _ in 0..<1000 { _ = try a + b }
        var start = now()
        for _ in 0..<tinyIterations { _ = try a + b }
        let tiny = (now() - start) / Double(tinyIterations) * 1e6

        let generator = try Generator(seed: 0, device: device)
        let shape = [batch, 32, 45, 16, 9]
        let x = try Tensor.randn(shape, device: device, generator: generator)
        let weight = try (Tensor.randn([32, 32, 3, 3, 3], device: device, generator: generator) * 0.05).requiringGrad()
        let bias = try Tensor.zeros([32], device: device).requiringGrad()
        func sync() throws { if case .cuda(let i) = device { try CUDA.synchronize(i) } }
        func forward() throws -> Tensor { try convolution(x, weight: weight, bias: bias, padding: [1]) }
        for _ in 0..<2 {
            let y = try forward()
            try y.sum().backward()
        }
        try sync()
        start = now()
        for _ in 0..<convIterations { _ = try withNoGrad { try forward() } }
        try sync()
        let fwd = (now() - start) / Double(convIterations) * 1e3
        start = now()
        for _ in 0..<convIterations {
            let y = try forward()
            try y.sum().backward()
        }
        try sync()
        let both = (now() - start) / Double(convIterations) * 1e3
        return EngineBenchmark(device: device.description, threads: Engine.threadCount, tinyOpMicroseconds: tiny,
                               convShape: shape, convForwardMilliseconds: fwd, convForwardBackwardMilliseconds: both)
    }

    var text: String {
        """
        device        \(device) (\(threads) CPU threads)
        tiny op       \(String(format: "%.2f", tinyOpMicroseconds)) µs per a + b (1-element CPU tensors, Swift → shim → ATen)
        conv3d        \(convShape) ⊛ [32, 32, 3, 3, 3], padding 1
          forward           \(String(format: "%.1f", convForwardMilliseconds)) ms
          forward+backward  \(String(format: "%.1f", convForwardBackwardMilliseconds)) ms
        """
    }
}
