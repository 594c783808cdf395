import Foundation
import Testing

@Suite struct BenchPrecisionTests {
    private func report(_ extra: [String]) throws -> [String: Any] {
        let (status, output) = try runCaloForge([
            "bench", "precision", "--config", "two-stage-ds2", "--count", "3", "--batch-size", "2", "--train-steps", "2",
            "--sampler", "euler", "--steps", "2", "--threads", "1", "--json",
        ] + extra)
        #expect(status == 0, "\(output)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    /// fp32 against itself is deterministic: every difference is exactly 0, and the noise-seed scale is not.
    @Test func float32AgainstItselfDiffersByNothing() throws {
        let json = try report([])
        #expect(json["candidate"] as? String == "fp32")
        #expect(json["lossRelativeDifference"] as? Double == 0)
        #expect(json["gradientRelativeDifference"] as? Double == 0)
        #expect(json["showerRelativeDifferenceMax"] as? Double == 0)
        #expect((json["gradientRelativeDifferenceBetweenNoiseSeeds"] as? Double ?? 0) > 0)
    }

    /// bf16 autocast changes the gradients by about bfloat16's precision (2⁻⁸), far from 0 and far below 1.
    @Test func bf16ChangesTheGradientsByAboutItsPrecision() throws {
        let json = try report(["--precision", "bf16"])
        #expect(json["candidate"] as? String == "bf16")
        let difference = try #require(json["gradientRelativeDifference"] as? Double)
        #expect(difference > 1e-5 && difference < 0.1, "\(difference)")
    }
}
