import ArgumentParser
import CaloEval
import Testing

@testable import caloforge

@Suite struct MetricListTests {
    @Test func parsesACommaList() throws {
        #expect(try MetricList(parsing: "hist,pcc").selection.metrics == [.hist, .pcc])
        #expect(try MetricList(parsing: " W1 , hist").selection.metrics == [.hist, .w1])
        #expect(try MetricList(parsing: "all").selection == .all)
        #expect(MetricList(argument: "hist,nope") == nil)
    }

    @Test func repeatedValuesJoin() throws {
        let lists = [try MetricList(parsing: "pcc"), try MetricList(parsing: "hist,pcc")]
        #expect(MetricList.selection(of: lists).metrics == [.hist, .pcc])
    }

    static let required = ["--reference", "r.h5", "--generated", "g.h5", "--out", "eval"]

    @Test func evaluateParsesMetricsIntoASelection() throws {
        let command = try Evaluate.parse(Self.required + ["--metrics", "pcc,w1", "--metrics", "hist"])
        #expect(MetricList.selection(of: command.metrics).metrics == [.hist, .pcc, .w1])
        #expect(MetricList.selection(of: try Evaluate.parse(Self.required).metrics) == .all)
    }

    @Test func anUnknownMetricIsAParseErrorNamingIt() {
        do {
            _ = try Evaluate.parse(Self.required + ["--metrics", "hist,nope"])
            Issue.record("--metrics hist,nope parsed")
        } catch {
            let message = Evaluate.fullMessage(for: error)
            #expect(message.contains("The value 'hist,nope' is invalid for '--metrics <list>'"), "\(message)")
            #expect(message.contains("unknown metric 'nope'; choose from all, hist"), "\(message)")
            #expect(message.contains("Usage:"), "a parse error shows the usage")
        }
    }

    @Test func helpListsTheNamesAndTheDefault() {
        let help = Evaluate.helpMessage().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("--metrics <list> Metrics to run, comma-separated or repeated: all, hist, pcc, w1,"), "\(help)")
        #expect(help.contains("cls-resnet (default: all)."), "\(help)")
    }
}
