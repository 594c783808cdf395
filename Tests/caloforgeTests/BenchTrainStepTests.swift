import Foundation
import Testing

@Suite struct BenchTrainStepTests {
    @Test func aSmallTrainStepBenchReportsItsSetting() throws {
        let (status, output) = try runCaloForge([
            "bench", "train-step", "--config", "two-stage-ds2", "--batch-size", "2", "--repeats", "1", "--threads", "1",
            "--precision", "bf16", "--json",
        ])
        #expect(status == 0, "\(output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(json["precision"] as? String == "bf16")
        #expect(json["batch"] as? Int == 2)
        #expect((json["medianMillisecondsPerStep"] as? Double ?? 0) > 0)
        #expect((json["firstLoss"] as? Double)?.isFinite == true)
    }

    @Test func aZeroBatchSizeIsRefused() throws {
        let (status, output) = try runCaloForge(["bench", "train-step", "--batch-size", "0"])
        #expect(status != 0)
        #expect(output.contains("--batch-size must be at least 1; got 0."), "\(output)")
    }
}
