import Foundation
import Testing
import Torch
import _TestSupport

/// A symmetric matrix with well-separated eigenvalues near 1, 2, 3, 4, built from any 4×4 `x`:
/// diag(1, 2, 3, 4) + 0.1·(x + xᵀ)/2. Symmetrising inside the function keeps the finite
/// differences meaningful (eigh reads only one triangle).
private func separatedSymmetric(_ x: Tensor) throws -> Tensor {
    let diagonal = try Tensor.eye(4, dtype: .float64) * tensor([1, 2, 3, 4])
    let symmetricPart = try (x + x.transposed(0, 1)) * 0.05
    return try diagonal + symmetricPart
}

@Suite struct TensorLinearAlgebraTests {
    static let gradientCases: [GradientCase] = [
        GradientCase("matmul [2, 3]·[3, 4]", [input([2, 3]), input([3, 4])]) { try $0[0].matmul($0[1]) },
        GradientCase("matmul batched·matrix", [input([2, 2, 3]), input([3, 2])]) { try matmul($0[0], $0[1]) },
        GradientCase("matmul matrix·vector", [input([2, 3]), input([3])]) { try matmul($0[0], $0[1]) },
        GradientCase("bmm", [input([2, 2, 3]), input([2, 3, 2])]) { try $0[0].bmm($0[1]) },
        GradientCase("einsum bij,bjk->bik", [input([2, 2, 3]), input([2, 3, 2])]) { try einsum("bij,bjk->bik", $0[0], $0[1]) },
        GradientCase("einsum ij,ij->i", [input([2, 3]), input([2, 3])]) { try einsum("ij,ij->i", $0[0], $0[1]) },
        GradientCase("einsum ii-> (trace)", [input([3, 3])]) { try einsum("ii->", $0[0]) },
        GradientCase("cdist p = 2", [input([3, 2]), input([4, 2])]) { try cdist($0[0], $0[1]) },
        GradientCase("cdist p = 1", [input([3, 2]), input([2, 2])]) { try cdist($0[0], $0[1], p: 1) },
        GradientCase("eigh eigenvalues", [input([4, 4])]) { try eigh(separatedSymmetric($0[0])).eigenvalues },
    ]

    @Test(arguments: gradientCases)
    func gradientMatchesFiniteDifferences(_ c: GradientCase) throws {
        try expectGradientsMatchFiniteDifferences(c)
    }

    @Test(arguments: gradientCases)
    func valuesMatchPyTorch(_ c: GradientCase) throws {
        try expectMatchesGolden(c)
    }

    @Test func matmulOfKnownMatrices() throws {
        let a = try tensor([1, 2, 3, 4, 5, 6], [2, 3])
        let b = try tensor([7, 8, 9, 10, 11, 12], [3, 2])
        try expectValues(a.matmul(b), [58, 64, 139, 154], shape: [2, 2])
        try expectValues(einsum("ij,jk->ik", a, b), [58, 64, 139, 154], shape: [2, 2])
        try expectValues(einsum("ij->ji", a), [1, 4, 2, 5, 3, 6], shape: [3, 2])
        try expectValues(a.unsqueezed(0).bmm(b.unsqueezed(0)), [58, 64, 139, 154], shape: [1, 2, 2])
    }

    @Test func eighOfAKnownMatrix() throws {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2.
        let (values, vectors) = try eigh(tensor([2, 1, 1, 2], [2, 2]))
        try expectValues(values, [1, 3], shape: [2])
        let first = try vectors.selecting(dim: 1, index: 0).toArray(Double.self)
        #expect(Swift.abs(first[0] + first[1]) < 1e-12)
        #expect(Swift.abs(Swift.abs(first[0]) - 0.5.squareRoot()) < 1e-12)
    }

    @Test func eighReconstructsTheMatrix() throws {
        let x = try makeTensor(input([4, 4]), seed: 11)
        let a = try separatedSymmetric(x)
        let (lambda, v) = try eigh(a)
        let sortedValues = try lambda.toArray(Double.self)
        #expect(sortedValues == sortedValues.sorted(), "eigenvalues ascend")
        let reconstructed = try v.matmul(Tensor.eye(4, dtype: .float64) * lambda).matmul(v.transposed(0, 1))
        try expectClose(reconstructed, a, rtol: 1e-12, atol: 1e-12)
        try expectClose(v.transposed(0, 1).matmul(v), Tensor.eye(4, dtype: .float64), rtol: 0, atol: 1e-12, "VᵀV = I")
        // The upper triangle gives the same decomposition of a symmetric matrix.
        try expectClose(eigh(a, upper: true).eigenvalues, lambda, rtol: 1e-12, atol: 1e-12)
    }

    @Test(arguments: [1.0, 2.0, 3.0])
    func cdistMatchesExplicitNorms(p: Double) throws {
        let a = try makeTensor(input([3, 2]), seed: 5)
        let b = try makeTensor(input([4, 2]), seed: 6)
        let rowsA = try a.toArray(Double.self)
        let rowsB = try b.toArray(Double.self)
        var expected: [Double] = []
        for i in 0..<3 {
            for j in 0..<4 {
                let d0 = Swift.abs(rowsA[2 * i] - rowsB[2 * j])
                let d1 = Swift.abs(rowsA[2 * i + 1] - rowsB[2 * j + 1])
                expected.append(Foundation.pow(Foundation.pow(d0, p) + Foundation.pow(d1, p), 1 / p))
            }
        }
        try expectValues(cdist(a, b, p: p), expected, shape: [3, 4], rtol: 1e-12)
    }
}
