import CaloData
import Testing
import Torch
import _TestSupport

/// Random sparse showers for tests: about 30 % of the voxels filled with U(0, 1) · 2 E_inc / voxels (so the
/// deposited energy is about 0.3 E_inc), incident energies 2^k MeV with k in 8 … 22 as in dataset 1.
func randomShowers(_ geometry: Geometry, events: Int, seed: UInt64, dtype: DType = .float64) throws -> (
    showers: Tensor, energies: Tensor
) {
    let generator = try Generator(seed: seed)
    let exponents = try Tensor.randint(8, 23, shape: [events, 1], generator: generator).to(dtype: .float64)
    let energies = try exponents.exponentiating(base: 2)
    let filled = try (try Tensor.rand([events, geometry.voxelCount], dtype: .float64, generator: generator) .< 0.3).to(
        dtype: .float64)
    let values = try Tensor.rand([events, geometry.voxelCount], dtype: .float64, generator: generator)
    let scale = try energies * (2 / Double(geometry.voxelCount))
    let showers = try filled * values * scale
    return (try showers.to(dtype: dtype), try energies.to(dtype: dtype))
}

/// Expects `actual` ≈ `expected` (shape first), printing both on failure.
func expectClose(
    _ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-6, atol: Double = 1e-9,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let (ok, message) = try allClose(actual, expected, rtol: rtol, atol: atol)
    #expect(ok, Comment(rawValue: message), sourceLocation: sourceLocation)
}

/// Expects `body` to throw a ``CaloDataError`` whose description contains `fragment`.
func expectCaloDataError(
    containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected a CaloDataError containing '\(fragment)', but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as CaloDataError {
        #expect(error.description.contains(fragment), "message: \(error.description)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a CaloDataError, got \(error)", sourceLocation: sourceLocation)
    }
}
