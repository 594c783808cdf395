import ArgumentParser
import Testing
import Torch

@testable import caloforge

@Suite struct DeviceChoiceTests {
    @Test(arguments: [
        ("auto", DeviceChoice.auto), ("AUTO", .auto), ("cpu", .fixed(.cpu)), ("cuda", .fixed(.cuda(0))),
        ("cuda:1", .fixed(.cuda(1))), ("CUDA:3", .fixed(.cuda(3))),
    ])
    func parsesEveryForm(_ text: String, _ expected: DeviceChoice) {
        #expect(DeviceChoice(argument: text) == expected)
    }

    @Test(arguments: ["tpu", "gpu", "cuda:x", "cuda:-1", "", "cpu:0"])
    func refusesOtherText(_ text: String) {
        #expect(DeviceChoice(argument: text) == nil)
    }

    @Test func autoPicksCUDAOnlyWhereItLoads() throws {
        #expect(try DeviceChoice.auto.resolved(cudaIsAvailable: { false }) == .cpu)
        #expect(try DeviceChoice.auto.resolved(cudaIsAvailable: { true }) == .cuda(0))
        #expect(try DeviceChoice.fixed(.cpu).resolved(cudaIsAvailable: { true }) == .cpu)
    }

    @Test func badDeviceIsAParseErrorListingTheForms() {
        do {
            _ = try DeviceOptions.parse(["--device", "tpu"])
            Issue.record("--device tpu parsed")
        } catch {
            let message = DeviceOptions.fullMessage(for: error)
            #expect(message.contains("The value 'tpu' is invalid for '--device <device>'"), "\(message)")
            #expect(message.contains("'auto', 'cpu', 'cuda' or 'cuda:N'"), "\(message)")
            #expect(DeviceOptions.exitCode(for: error) == .validationFailure)
        }
    }

    @Test func defaultIsAutoAndHelpShowsTheForms() throws {
        #expect(try DeviceOptions.parse([]).device == .auto)
        #expect(try DeviceOptions.parse(["--device", "cuda:2"]).device == .fixed(.cuda(2)))
        let help = BenchEngine.helpMessage().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(
            help.contains("--device <device> Where to compute; auto takes CUDA when it is available, else the CPU. (values: auto, cpu, cuda, cuda:N; default: auto)"),
            "\(help)")
    }

    @Test func threadsBelowOneIsRefused() {
        #expect(throws: (any Error).self) { try DeviceOptions.parse(["--threads", "0"]) }
    }
}
