import Foundation
import Testing
import Torch
@testable import CaloEval

/// The official FPD/KPD/PRDC settings on larger inputs written by
/// `make_metric_fixtures.py --large DIR` (not checked in). Runs only with
/// CALOFORGE_LARGE_METRICS_DIR=DIR and prints the side-by-side numbers of docs/validation.md.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CALOFORGE_LARGE_METRICS_DIR"] != nil))
struct LargeValidationTests {
    struct Golden: Decodable {
        let fpd: [Double]
        let kpd: [Double]
        let prdc: [String: Double]
        let fpdSeconds: Double
        let kpdSeconds: Double
        let prdcSeconds: Double
        enum CodingKeys: String, CodingKey {
            case fpd, kpd, prdc, fpdSeconds = "fpd_seconds", kpdSeconds = "kpd_seconds", prdcSeconds = "prdc_seconds"
        }
    }

    let directory = URL(fileURLWithPath: ProcessInfo.processInfo.environment["CALOFORGE_LARGE_METRICS_DIR"] ?? "/nonexistent")

    func load() throws -> ([String: Tensor], Golden) {
        let inputs = try Safetensors.load(directory.appendingPathComponent("evmetrics_large_inputs.safetensors")).tensors
        let golden = try JSONDecoder().decode(
            Golden.self, from: Data(contentsOf: directory.appendingPathComponent("evmetrics_large_golden.json")))
        return (inputs, golden)
    }

    func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    @Test func fpdAndKPDAtTheOfficialSettings() throws {
        let (inputs, golden) = try load()
        let reference = try #require(inputs["reference"]), generated = try #require(inputs["generated"])
        var fpdResult = PhysicsDistance(value: 0, error: 0), kpdResult = fpdResult
        let fpdTime = try seconds { fpdResult = try fpd(reference: reference, generated: generated) }
        let kpdTime = try seconds { kpdResult = try kpd(reference: reference, generated: generated) }
        print(
            String(
                format: "VALIDATION FPD ×10³ ours %.6f ± %.6f (%.1f s), JetNet %.6f ± %.6f (%.1f s)", fpdResult.valueTimes1000,
                fpdResult.errorTimes1000,
                fpdTime, golden.fpd[0] * 1e3, golden.fpd[1] * 1e3, golden.fpdSeconds))
        print(
            String(
                format: "VALIDATION KPD ×10³ ours %.8f ± %.8f (%.1f s), JetNet %.8f ± %.8f (%.1f s)", kpdResult.valueTimes1000,
                kpdResult.errorTimes1000,
                kpdTime, golden.kpd[0] * 1e3, golden.kpd[1] * 1e3, golden.kpdSeconds))
        #expect(abs(fpdResult.value - golden.fpd[0]) < 0.01 * golden.fpd[1])
        #expect(abs(kpdResult.value - golden.kpd[0]) < 1e-6 * abs(golden.kpd[0]) + 1e-12)
    }

    @Test func prdcAtTheOfficialSettings() throws {
        let (inputs, golden) = try load()
        let real = try prdcLogTransformed(#require(inputs["real_voxels"]))
        let fake = try prdcLogTransformed(#require(inputs["fake_voxels"]))
        var scores = PRDCScores(precision: 0, recall: 0, density: 0, coverage: 0)
        let time = try seconds { scores = try prdc(real: real, fake: fake) }
        print(
            String(
                format: "VALIDATION PRDC ours %@ (%.1f s); prdc package %@ (%.1f s)", scores.description, time, "\(golden.prdc)",
                golden.prdcSeconds))
        #expect(
            scores
                == PRDCScores(
                    precision: golden.prdc["precision"] ?? -1, recall: golden.prdc["recall"] ?? -1,
                    density: golden.prdc["density"] ?? -1, coverage: golden.prdc["coverage"] ?? -1))
    }
}
