import Diffusion
import Testing
import Torch

@Suite struct TensorPerSampleTests {
    @Test func appendsTrailingUnitAxes() throws {
        let values = try Tensor([1.0, 2.0, 3.0])
        #expect(try values.appendingUnitAxes(toRank: 4).shape == [3, 1, 1, 1])
        #expect(try values.appendingUnitAxes(toRank: 1).shape == [3])
        #expect(try Tensor(scalar: 2, dtype: .float64).appendingUnitAxes(toRank: 2).shape == [1, 1])
        let state = try Tensor.ones([3, 2, 2], dtype: .float64)
        let scaled = try state * values.appendingUnitAxes(toRank: 3)
        #expect(try scaled.sum(dims: [1, 2]).toArray(Double.self) == [4, 8, 12])
    }

    @Test func rejectsAHigherRankWithBothShapesInTheMessage() throws {
        let error = #expect(throws: DiffusionError.self) { try Tensor.ones([2, 3]).appendingUnitAxes(toRank: 1) }
        #expect(error == .rankMismatch(valueShape: [2, 3], targetRank: 1))
        #expect(
            error?.description.hasPrefix("a per-sample value of shape [2, 3] cannot broadcast against a rank-1 state") == true)
    }
}
