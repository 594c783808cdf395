import ArgumentParser
import Testing
import Torch

@testable import caloforge

@Suite struct ClassifierPrecisionTests {
    @Test func parsesBothNamesInAnyCase() {
        #expect(ClassifierPrecision(argument: "float64")?.dtype == .float64)
        #expect(ClassifierPrecision(argument: "Float32")?.dtype == .float32)
        #expect(ClassifierPrecision(argument: "float16") == nil)
    }

    @Test func evaluateAndBenchClassifierShareTheOption() throws {
        let evaluate = try Evaluate.parse(["--reference", "r.h5", "--generated", "g.h5", "--out", "e", "--cls-dtype", "float32"])
        #expect(evaluate.clsDtype == .float32)
        #expect(try BenchClassifier.parse(["--dtype", "float32"]).dtype == .float32)
        #expect(try BenchClassifier.parse([]).dtype == .float64)
    }

    @Test func anotherPrecisionIsAParseErrorListingBoth() {
        for (command, arguments): (any ParsableCommand.Type, [String]) in [
            (BenchClassifier.self, ["--dtype", "float16"]),
            (Evaluate.self, ["--reference", "r.h5", "--generated", "g.h5", "--out", "e", "--cls-dtype", "float16"]),
        ] {
            do {
                _ = try command.parseAsRoot(arguments)
                Issue.record("\(arguments) parsed")
            } catch {
                let message = command.fullMessage(for: error)
                #expect(message.contains("The value 'float16' is invalid"), "\(message)")
                #expect(message.contains("'float64' and 'float32'"), "\(message)")
            }
        }
    }

    @Test func helpListsThePrecisions() {
        for help in [Evaluate.helpMessage(), BenchClassifier.helpMessage()] {
            let text = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(text.contains("<precision>") && text.contains("(values: float64, float32; default: float64)"), "\(text)")
        }
    }

    @Test func benchClassifierParsesItsTest() throws {
        #expect(try BenchClassifier.parse(["--metric", "cls-high"]).metric == .clsHigh)
        #expect(throws: (any Error).self) { try BenchClassifier.parse(["--metric", "cls-medium"]) }
    }
}
