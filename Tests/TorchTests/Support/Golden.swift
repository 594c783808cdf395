import Foundation
import Testing
import Torch
import _TestSupport

/// Forward values computed once by the reference PyTorch (Fixtures/make_golden.py) for the
/// gradient-check cases of FunctionalTests, TensorLinearAlgebraTests and TensorReductionTests.
enum Golden {
    struct Entry: Sendable {
        var shape: [Int]
        var values: [Double]
    }

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden.json")

    /// The entries by case name, or the reason the fixture could not be read.
    static let entries: Result<[String: Entry], GoldenError> = {
        guard let data = try? Data(contentsOf: fixture),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let cases = object["cases"] as? [String: [String: Any]]
        else { return .failure(GoldenError(message: "cannot read \(fixture.path)")) }
        var entries: [String: Entry] = [:]
        for (name, entry) in cases {
            guard let shape = entry["shape"] as? [Int], let values = entry["values"] as? [Double] else {
                return .failure(GoldenError(message: "malformed entry '\(name)' in \(fixture.path)"))
            }
            entries[name] = Entry(shape: shape, values: values)
        }
        return .success(entries)
    }()

    struct GoldenError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// `#expect`s that a case's forward values equal the reference PyTorch's for the same inputs.
func expectMatchesGolden(_ c: GradientCase, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let entries = try Golden.entries.get()
    let entry = try #require(
        entries[c.name], "no golden values for '\(c.name)': add it to Fixtures/make_golden.py and rerun it", sourceLocation: sourceLocation)
    let output = try c.function(makeInputs(c.inputs))
    try expectClose(output, Tensor(entry.values, shape: entry.shape), rtol: 1e-9, atol: 1e-12, "\(c.name) vs PyTorch:", sourceLocation: sourceLocation)
}
