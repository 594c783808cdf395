import CaloData
import Testing
import Torch
import TorchNN

@testable import CaloModels

@Suite struct GLaMEmbeddingTests {
    /// C_l and D_l start at the area-overlap matrix and its pseudo-inverse plus N(0, (1e-5)²) noise.
    @Test(arguments: ["ds1-photons", "ds1-pions"])
    func initialisationIsTheAreaOverlapConstruction(geometry name: String) throws {
        let geometry = try Geometry.named(name)
        let mapping = try GLaMMapping(geometry: geometry)
        let glam = try GLaMEmbedding(geometry: geometry, generator: Generator(seed: 11))
        #expect(glam.encs.count == geometry.relevantLayers.count)
        var differences: [Double] = []
        for index in geometry.relevantLayers.indices {
            for (weight, exact) in [
                (glam.encs[index].weight, mapping.encoderMatrix(layer: index)),
                (glam.decs[index].weight, mapping.decoderMatrix(layer: index)),
            ] {
                #expect(weight.shape == [exact.count, exact[0].count])
                let values = try weight.toArray(Double.self)
                differences += zip(values, exact.flatMap { $0 }).map { $0 - $1 }
                #expect(weight.requiresGrad)
            }
        }
        let largest = differences.map(abs).max() ?? 0
        let rms = (differences.map { $0 * $0 }.reduce(0, +) / Double(differences.count)).squareRoot()
        #expect(largest < 1e-4, "no entry is more than 10σ off")
        #expect(rms > 0.8e-5 && rms < 1.2e-5, "the noise has σ = 1e-5 (rms \(rms) over \(differences.count) entries)")
    }

    /// decode ∘ encode is the identity on showers (D_l C_l = I up to the initial noise), and encoding spreads
    /// single-angle layers evenly over the 10 angular bins.
    @Test(arguments: ["ds1-photons", "ds1-pions"])
    func decodeAfterEncodeIsTheIdentity(geometry name: String) throws {
        let geometry = try Geometry.named(name)
        let glam = try GLaMEmbedding(geometry: geometry, generator: Generator(seed: 12))
        let x = try Tensor.randn([4, geometry.voxelCount], generator: Generator(seed: 13))
        let (grid, back) = try withNoGrad { () -> (Tensor, Tensor) in
            let grid = try glam.encode(x)
            return (grid, try glam.decode(grid))
        }
        #expect(grid.shape == [4, 1] + glam.gridShape)
        try expectClose(back, x, atol: 1e-3, "decode(encode(x))")
        // Layer 0 has one angular bin: its 10 angular rows are equal and sum to C₀ x.
        let layer0 = try grid.selecting(dim: 1, index: 0).selecting(dim: 1, index: 0)  // [4, 10, R']
        try expectClose(
            layer0, try layer0.selecting(dim: 1, index: 0).unsqueezed(1).expanded(layer0.shape), atol: 0, "replicated rows")
        let exact = try GLaMMapping(geometry: geometry).forward(showers: x, incidentEnergies: try Tensor.ones([4]))
        try expectClose(try grid.squeezed(dim: 1), exact, atol: 1e-3, "noise-free GLaM encoding")
    }
}
