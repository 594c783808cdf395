import Foundation
import Testing

/// The checked-in fixtures of Tests/CaloEvalTests/Fixtures (written by make_separation_fixtures.py;
/// the calodata-*.h5 files are copies of CaloDataTests fixtures).
enum TestFixtures {
    /// Path of a fixture file.
    static func path(_ name: String) throws -> String {
        let directory = try #require(
            Bundle.module.url(forResource: "Fixtures", withExtension: nil), "Fixtures folder missing from the test bundle")
        let url = directory.appendingPathComponent(name)
        try #require(FileManager.default.fileExists(atPath: url.path), "fixture \(name) missing")
        return url.path
    }

    /// Golden values from the official CaloChallenge code and scipy/numpy (golden.json).
    static func golden() throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: URL(fileURLWithPath: path("golden.json"))))
    }
}

/// golden.json (see make_separation_fixtures.py).
struct Golden: Decodable {
    struct Provenance: Decodable {
        let commit: String
        let numpy: String
        let matplotlib: String
    }

    struct SeparationPower: Decodable {
        let label: String
        let value: Double
        let edges: [Double]?

        enum CodingKeys: String, CodingKey {
            case label, edges
            case value = "separation_power"
        }
    }

    struct WassersteinCase: Decodable {
        let u: [Double]
        let v: [Double]
        let w1: Double
    }

    struct Correlation: Decodable {
        let columns: [[Double]]
        let corrcoef: [[Double]]
    }

    let provenance: Provenance
    /// Dataset → official separation powers (float64 features), in histogram_chi2 order.
    let separationPowers: [String: [SeparationPower]]
    /// Dataset → the same with float32 features, exactly as evaluate.py computes them.
    let evaluatePyFloat32: [String: [SeparationPower]]
    /// Dataset → the official histogram_chi2 file text (float64 features).
    let officialText: [String: String]
    let wasserstein: [WassersteinCase]
    let correlation: Correlation

    enum CodingKeys: String, CodingKey {
        case provenance, wasserstein, correlation
        case separationPowers = "separation_powers"
        case evaluatePyFloat32 = "evaluate_py_float32"
        case officialText = "official_text"
    }
}

/// A fresh temporary folder, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caloeval-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// |a − b| ≤ tolerance·|b| (both NaN counts as equal).
func relativelyClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    return Swift.abs(a - b) <= tolerance * Swift.abs(b)
}

/// Runs the built `caloforge` binary (next to the test bundle) and returns its exit status, stdout and stderr.
func runCaloForge(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let binary = runner.deletingLastPathComponent().appendingPathComponent("caloforge")
    try #require(
        FileManager.default.isExecutableFile(atPath: binary.path),
        "caloforge binary not found at \(binary.path); run swift build --build-tests")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    // Output goes through files: a full pipe would block the child.
    return try withTemporaryDirectory { directory in
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (
            process.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8)
        )
    }
}
