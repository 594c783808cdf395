import Foundation
import Testing
import Torch
import _TestSupport

/// The PyTorch golden files in `Fixtures/` (written by `Fixtures/make_fixtures.py`).
enum Fixtures {
    static func url(_ name: String) throws -> URL {
        let url = Bundle.module.resourceURL?.appendingPathComponent("Fixtures").appendingPathComponent(name)
        return try #require(url.flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil },
                            "fixture \(name) is missing from the test bundle")
    }

    static func json<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: Data(contentsOf: url(name)))
    }

    static func tensors(_ name: String) throws -> [String: Tensor] {
        try Safetensors.load(url(name)).tensors
    }
}

/// Expects `actual` to equal `expected` within `atol + rtol·|expected|` (shapes first); the
/// failure comment shows both tensors.
func expectClose(
    _ actual: Tensor, _ expected: Tensor, rtol: Double = 0, atol: Double,
    _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let result = try allClose(actual, expected, rtol: rtol, atol: atol)
    #expect(result.ok, "\(context) \(result.message)", sourceLocation: sourceLocation)
}

/// Values of a tensor as Doubles.
func values(_ t: Tensor) throws -> [Double] { try t.toArray(Double.self) }

/// A unique path in the temporary directory, removed by the caller.
func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-\(UUID().uuidString)-\(name)")
}
