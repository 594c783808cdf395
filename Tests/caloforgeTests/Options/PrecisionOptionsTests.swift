import ArgumentParser
import Testing
import Torch
import TorchNN

@testable import caloforge

@Suite struct PrecisionOptionsTests {
    @Test func defaultsAreFloat32AndContiguous() throws {
        let options = try PrecisionOptions.parse([])
        #expect(options.precision == .fp32)
        #expect(options.memoryFormat == .contiguous)
        #expect(options.label == "fp32")
        #expect(try PrecisionOptions.parse(["--precision", "bf16", "--memory-format", "channels-last"]).label == "bf16+channels-last")
    }

    @Test func anotherValueIsAParseErrorListingTheChoices() {
        for (arguments, choices) in [(["--precision", "fp16"], "'fp32' and 'bf16'"), (["--memory-format", "nhwc"], "'contiguous' and 'channels-last'")] {
            do {
                _ = try BenchSample.parseAsRoot(arguments)
                Issue.record("\(arguments) parsed")
            } catch {
                let message = BenchSample.fullMessage(for: error)
                #expect(message.contains("The value '\(arguments[1])' is invalid"), "\(message)")
                #expect(message.contains(choices), "\(message)")
            }
        }
    }

    @Test func bf16RunsTheBodyUnderAutocastAndRestores() throws {
        let bf16 = try PrecisionOptions.parse(["--precision", "bf16"])
        #expect(try bf16.run(on: .cpu) { AutocastState.current() } == AutocastState(isEnabled: true, dtype: .bfloat16))
        #expect(try PrecisionOptions.parse([]).run(on: .cpu) { AutocastState.current().isEnabled } == false)
        #expect(!AutocastState.current().isEnabled)
    }

    @Test func channelsLastLaysOutTheConvolutionWeightsOnly() throws {
        let generator = try Generator(seed: 1)
        let network = Sequential([try Conv3d(2, 3, kernelSize: [3], generator: generator), try Conv2d(3, 3, kernelSize: [1], generator: generator)])
        try PrecisionOptions.parse([]).apply(to: network)
        #expect(network.parameters().allSatisfy { $0.isContiguous })
        try PrecisionOptions.parse(["--memory-format", "channels-last"]).apply(to: network)
        let weights = network.namedParameters().filter { $0.key.hasSuffix("weight") }.map(\.tensor)
        #expect(weights.count == 2)
        #expect(weights[0].isContiguous(memoryFormat: .channelsLast3d))
        #expect(weights[1].isContiguous(memoryFormat: .channelsLast))
    }

    @Test func benchCommandsShareTheOptions() throws {
        #expect(try BenchSample.parse(["--precision", "bf16"]).precisionOptions.precision == .bf16)
        #expect(try BenchTrainStep.parse(["--memory-format", "channels-last"]).precisionOptions.memoryFormat == .channelsLast)
        #expect(try BenchPrecision.parse(["--precision", "bf16"]).precisionOptions.precision == .bf16)
        #expect(try Sample.parse(["--count", "2", "-o", "x.h5", "--precision", "bf16"]).precisionOptions.precision == .bf16)
    }
}
