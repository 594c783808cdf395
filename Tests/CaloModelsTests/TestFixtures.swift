import Foundation
import Testing
import Torch
import _TestSupport

/// The reference CaloDiffusion files in `Fixtures/` (written by `Fixtures/make_unet_fixtures.py`).
enum Fixtures {
    static func url(_ name: String) throws -> URL {
        let url = Bundle.module.resourceURL?.appendingPathComponent("Fixtures").appendingPathComponent(name)
        return try #require(
            url.flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil },
            "fixture \(name) is missing from the test bundle")
    }

    static func tensors(_ name: String) throws -> [String: Tensor] {
        try Safetensors.load(url(name)).tensors
    }

    /// One `[key, shape]` entry of `unet_keys.json`.
    struct KeyEntry: Decodable, Equatable {
        var key: String
        var shape: [Int]

        init(key: String, shape: [Int]) {
            self.key = key
            self.shape = shape
        }

        init(from decoder: Decoder) throws {
            var container = try decoder.unkeyedContainer()
            key = try container.decode(String.self)
            shape = try container.decode([Int].self)
        }
    }

    struct ReferenceModel: Decodable {
        var parameters: Int
        var keys: [KeyEntry]
    }

    struct ReferenceKeys: Decodable {
        var reference: [String: String]
        var models: [String: ReferenceModel]
    }

    /// `unet_keys.json`: the reference state-dict keys and parameter counts per configuration
    /// (`unet_keys_2025.json`: those of the newest repository, make_reference2025_fixtures.py).
    static func referenceKeys(_ file: String = "unet_keys.json") throws -> ReferenceKeys {
        try JSONDecoder().decode(ReferenceKeys.self, from: Data(contentsOf: url(file)))
    }
}

/// Expects `actual` to equal `expected` within `atol + rtol·|expected|` (shapes first); the failure comment
/// shows both tensors.
func expectClose(
    _ actual: Tensor, _ expected: Tensor, rtol: Double = 0, atol: Double, _ context: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let result = try allClose(actual, expected, rtol: rtol, atol: atol)
    #expect(result.ok, "\(context) \(result.message)", sourceLocation: sourceLocation)
}

/// A unique path in the temporary directory, removed by the caller.
func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-\(UUID().uuidString)-\(name)")
}
