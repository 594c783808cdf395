import CaloData
import CaloModels
import Testing
import Torch

@Suite struct ShowerCompositionTests {
    /// Layer sums equal the given layer energies exactly for every layer that reaches the threshold; layers
    /// below it read 0; no voxel is left below the threshold; an all-zero shape still gets its layer's energy.
    @Test(arguments: ["ds2", "ds1-photons"]) func layerSumsAreTheGivenEnergies(geometryName: String) throws {
        let geometry = try Geometry.named(geometryName)
        let threshold = 0.5
        let composition = try ShowerComposition(geometry: geometry, threshold: threshold)
        let generator = try Generator(seed: 2)
        let batch = 8
        var shapes = try Tensor.rand([batch, geometry.voxelCount], dtype: .float64, generator: generator).pow(6)
        // Shower 0 has an all-zero shape.
        shapes = try shapes * Tensor.cat([Tensor.zeros([1, geometry.voxelCount], dtype: .float64), Tensor.ones([batch - 1, geometry.voxelCount], dtype: .float64)], dim: 0)
        let layers = geometry.relevantLayers.count
        let energies = try Tensor.rand([batch, layers], dtype: .float64, generator: generator).pow(3) * 200
        let showers = try composition.compose(shapes: shapes, layerEnergies: energies)
        let sums = try geometry.layerEnergies(of: showers)
        let reaching = try energies .>= threshold
        let expected = try energies * reaching.to(dtype: .float64)
        let error = try (sums - expected).abs().amax().item()
        #expect(error < 1e-9, "largest difference of a layer sum: \(error) MeV")
        let positive = try showers.maskedSelect(showers .> 0)
        #expect(try positive.amin().item() >= threshold)
    }

    @Test func negativeThresholdIsRefused() {
        #expect(throws: ModelError.self) { try ShowerComposition(geometry: .ds2, threshold: -1) }
    }
}
