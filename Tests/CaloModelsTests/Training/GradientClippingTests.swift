@testable import CaloModels
import Foundation
import Testing
import Torch

@Suite struct GradientClippingTests {
    /// Gradients [3, 4] and [12]: joint norm 13, per-tensor norms 5 and 12.
    func clipped(_ clipping: GradientClipping) throws -> [[Double]] {
        let a = try Tensor([0.0, 0.0]).requiringGrad()
        let b = try Tensor([0.0]).requiringGrad()
        try a.setGrad(Tensor([3.0, 4.0]))
        try b.setGrad(Tensor([12.0]))
        try clipping.apply(to: [a, b])
        return try [#require(try a.grad).toArray(Double.self), #require(try b.grad).toArray(Double.self)]
    }

    @Test func globalNormScalesAllGradientsTogether() throws {
        let scale = 6.5 / (13 + 1e-6)
        let result = try clipped(.globalNorm(maxNorm: 6.5))
        #expect(abs(result[0][0] - 3 * scale) < 1e-12 && abs(result[0][1] - 4 * scale) < 1e-12 && abs(result[1][0] - 12 * scale) < 1e-12)
    }

    @Test func perTensorNormScalesEachGradientAlone() throws {
        let result = try clipped(.perTensorNorm(maxNorm: 6.5))
        #expect(result[0] == [3, 4])
        #expect(abs(result[1][0] - 6.5) < 1e-12)
    }

    @Test func jsonNamesTheRule() throws {
        let json = String(decoding: try JSONEncoder().encode(GradientClipping.perTensorNorm(maxNorm: 1)), as: UTF8.self)
        #expect(json == #"{"perTensorNorm":{"maxNorm":1}}"#)
        #expect(GradientClipping.globalNorm(maxNorm: 2).maxNorm == 2)
    }
}
