import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct TensorShapeTests {
    static let gradientCases: [GradientCase] = [
        GradientCase("reshaped([3, 2])", [input([2, 3])]) { try $0[0].reshaped([3, 2]) },
        GradientCase("reshaped([-1])", [input([2, 3])]) { try $0[0].reshaped([-1]) },
        GradientCase("viewed([3, 2])", [input([2, 3])]) { try $0[0].viewed([3, 2]) },
        GradientCase("permuted([2, 0, 1])", [input([2, 3, 2])]) { try $0[0].permuted([2, 0, 1]) },
        GradientCase("transposed(0, 1)", [input([2, 3])]) { try $0[0].transposed(0, 1) },
        GradientCase("squeezed()", [input([2, 1, 3])]) { try $0[0].squeezed() },
        GradientCase("squeezed(dim: 1)", [input([2, 1, 3])]) { try $0[0].squeezed(dim: 1) },
        GradientCase("unsqueezed(1)", [input([2, 3])]) { try $0[0].unsqueezed(1) },
        GradientCase("expanded([2, 2, 3]) from [2, 1, 3]", [input([2, 1, 3])]) { try $0[0].expanded([2, 2, 3]) },
        GradientCase("repeated([2, 1])", [input([2, 3])]) { try $0[0].repeated([2, 1]) },
        GradientCase("contiguous() of a transpose", [input([2, 3])]) { try $0[0].transposed(0, 1).contiguous() },
        GradientCase("flattened()", [input([2, 3, 2])]) { try $0[0].flattened() },
        GradientCase("flattened(from: 1)", [input([2, 3, 2])]) { try $0[0].flattened(from: 1) },
        GradientCase("cat(dim: 1)", [input([2, 3]), input([2, 2])]) { try Tensor.cat([$0[0], $0[1]], dim: 1) },
        GradientCase("stack(dim: 1)", [input([2, 3]), input([2, 3])]) { try Tensor.stack([$0[0], $0[1]], dim: 1) },
        GradientCase("split(size: 2, dim: 1), pieces scaled", [input([2, 5])]) { xs in
            let pieces = try xs[0].split(size: 2, dim: 1)
            return try Tensor.cat(pieces.enumerated().map { try $0.element * Double($0.offset + 1) }, dim: 1)
        },
        GradientCase("chunked(2, dim: 0), pieces multiplied", [input([4, 3])]) { xs in
            let pieces = try xs[0].chunked(2, dim: 0)
            return try pieces[0] * pieces[1]
        },
        GradientCase("narrowed(dim: 1, start: 1, length: 2)", [input([2, 4])]) { try $0[0].narrowed(dim: 1, start: 1, length: 2) },
        GradientCase("selecting(dim: 0, index: 1)", [input([3, 2])]) { try $0[0].selecting(dim: 0, index: 1) },
        GradientCase("sliced(dim: 1, start: 1, step: 2)", [input([2, 5])]) { try $0[0].sliced(dim: 1, start: 1, step: 2) },
        GradientCase("indexSelect with a repeated index", [input([2, 4])]) {
            try $0[0].indexSelect(dim: 1, index: indices([3, 0, 3]))
        },
        GradientCase("gather(dim: 1)", [input([2, 3])]) { try $0[0].gather(dim: 1, index: indices([0, 2, 2, 1, 0, 1], [2, 3])) },
        GradientCase("scatterAdd(dim: 1) w.r.t. self and source", [input([2, 4]), input([2, 3])]) {
            try $0[0].scatterAdd(dim: 1, index: indices([0, 3, 0, 2, 2, 1], [2, 3]), source: $0[1])
        },
        GradientCase("indexAdd(dim: 0)", [input([3, 2]), input([2, 2])]) {
            try $0[0].indexAdd(dim: 0, index: indices([2, 0]), source: $0[1])
        },
        GradientCase("maskedSelect", [input([2, 3])]) {
            try $0[0].maskedSelect(Tensor([true, false, true, true, false, false], shape: [2, 3]))
        },
        GradientCase("flipped([0, 1])", [input([2, 3])]) { try $0[0].flipped([0, 1]) },
        GradientCase("rolled(shifts: [1, -2], dims: [0, 1])", [input([2, 3])]) { try $0[0].rolled(shifts: [1, -2], dims: [0, 1]) },
        GradientCase("padded constant(0.5)", [input([2, 3])]) { try $0[0].padded([1, 2], mode: .constant(0.5)) },
        GradientCase("padded circular 1-d", [input([1, 2, 4])]) { try $0[0].padded([2, 1], mode: .circular) },
        GradientCase("padded circular 2-d", [input([1, 1, 3, 4])]) { try $0[0].padded([1, 2, 2, 1], mode: .circular) },
        GradientCase("padded replicate", [input([1, 2, 3])]) { try $0[0].padded([2, 1], mode: .replicate) },
        GradientCase("padded reflect", [input([1, 2, 4])]) { try $0[0].padded([2, 1], mode: .reflect) },
        GradientCase("tril(0)", [input([3, 3])]) { try $0[0].tril() },
        GradientCase("triu(1)", [input([3, 3])]) { try $0[0].triu(1) },
    ]

    @Test(arguments: gradientCases)
    func gradientMatchesFiniteDifferences(_ c: GradientCase) throws {
        try expectGradientsMatchFiniteDifferences(c)
    }

    /// 0, 1, …, n − 1 as float64 in `shape`.
    private func counting(_ shape: [Int]) throws -> Tensor {
        try Tensor.arange(0, Double(shape.reduce(1, *)), dtype: .float64).reshaped(shape)
    }

    @Test func circularPaddingWrapsAround() throws {
        let x = try tensor([1, 2, 3, 4], [1, 1, 4])
        try expectValues(x.padded([2, 1], mode: .circular), [3, 4, 1, 2, 3, 4, 1], shape: [1, 1, 7])
        // 2-D: rows wrap top/bottom, columns left/right.
        let y = try counting([1, 1, 2, 3])  // [[0, 1, 2], [3, 4, 5]]
        try expectValues(
            y.padded([1, 1, 1, 0], mode: .circular),
            [5, 3, 4, 5, 3,
             2, 0, 1, 2, 0,
             5, 3, 4, 5, 3],
            shape: [1, 1, 3, 5])
    }

    @Test func otherPaddingModes() throws {
        let x = try tensor([1, 2, 3, 4], [1, 1, 4])
        try expectValues(x.padded([2, 1], mode: .constant(-1)), [-1, -1, 1, 2, 3, 4, -1], shape: [1, 1, 7])
        try expectValues(x.padded([2, 1]), [0, 0, 1, 2, 3, 4, 0], shape: [1, 1, 7])
        try expectValues(x.padded([2, 1], mode: .replicate), [1, 1, 1, 2, 3, 4, 4], shape: [1, 1, 7])
        try expectValues(x.padded([2, 1], mode: .reflect), [3, 2, 1, 2, 3, 4, 3], shape: [1, 1, 7])
    }

    @Test func viewsAndReorderings() throws {
        let x = try counting([2, 3])  // [[0, 1, 2], [3, 4, 5]]
        #expect(try x.reshaped([3, -1]).shape == [3, 2])
        try expectValues(x.transposed(0, 1), [0, 3, 1, 4, 2, 5], shape: [3, 2])
        #expect(try !x.transposed(0, 1).isContiguous)
        #expect(try x.transposed(0, 1).contiguous().isContiguous)
        try expectValues(counting([2, 3, 2]).permuted([2, 0, 1]), [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11], shape: [2, 2, 3])
        try expectValues(x.flipped([1]), [2, 1, 0, 5, 4, 3], shape: [2, 3])
        try expectValues(x.rolled(shifts: [1], dims: [1]), [2, 0, 1, 5, 3, 4], shape: [2, 3])
        try expectValues(x.unsqueezed(0).expanded([2, 2, 3]).sum(dims: [0]), [0, 2, 4, 6, 8, 10], shape: [2, 3])
        try expectValues(x.repeated([1, 2]), [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5], shape: [2, 6])
        #expect(try x.unsqueezed(1).shape == [2, 1, 3])
        #expect(try x.unsqueezed(1).squeezed().shape == [2, 3])
        #expect(try counting([2, 3, 2]).flattened(from: 1).shape == [2, 6])
        try expectValues(x.tril(), [0, 0, 0, 3, 4, 0], shape: [2, 3])
        try expectValues(x.triu(1), [0, 1, 2, 0, 0, 5], shape: [2, 3])
    }

    @Test func joiningAndSplitting() throws {
        let x = try counting([2, 3])
        let y = try counting([2, 1]) + 10
        try expectValues(Tensor.cat([x, y], dim: 1), [0, 1, 2, 10, 3, 4, 5, 11], shape: [2, 4])
        try expectValues(Tensor.stack([x, x], dim: 0).sum(dims: [0]), [0, 2, 4, 6, 8, 10], shape: [2, 3])
        #expect(try Tensor.stack([x, x], dim: 2).shape == [2, 3, 2])
        let pieces = try counting([7]).split(size: 3)
        #expect(pieces.map(\.shape) == [[3], [3], [1]])
        try expectValues(pieces[2], [6], shape: [1])
        let chunks = try counting([5]).chunked(2)
        #expect(chunks.map(\.shape) == [[3], [2]])
        try expectValues(chunks[1], [3, 4], shape: [2])
    }

    @Test func indexing() throws {
        let x = try counting([3, 4])  // rows [0..3], [4..7], [8..11]
        try expectValues(x.narrowed(dim: 1, start: 1, length: 2), [1, 2, 5, 6, 9, 10], shape: [3, 2])
        try expectValues(x.selecting(dim: 0, index: 2), [8, 9, 10, 11], shape: [4])
        try expectValues(x.selecting(dim: 1, index: -1), [3, 7, 11], shape: [3])
        try expectValues(x.sliced(dim: 1, start: 1, step: 2), [1, 3, 5, 7, 9, 11], shape: [3, 2])
        try expectValues(x.sliced(dim: 0, start: 1, end: 2), [4, 5, 6, 7], shape: [1, 4])
        try expectValues(x.indexSelect(dim: 0, index: indices([2, 0])), [8, 9, 10, 11, 0, 1, 2, 3], shape: [2, 4])
        try expectValues(x.gather(dim: 1, index: indices([3, 0, 1, 1, 2, 2], [3, 2])), [3, 0, 5, 5, 10, 10], shape: [3, 2])
        try expectValues(
            Tensor.zeros([2, 3], dtype: .float64).scatterAdd(dim: 1, index: indices([0, 0, 2, 1], [2, 2]), source: tensor([1, 2, 3, 4], [2, 2])),
            [3, 0, 0, 0, 4, 3], shape: [2, 3])
        try expectValues(
            Tensor.zeros([3], dtype: .float64).indexAdd(dim: 0, index: indices([2, 2, 0]), source: tensor([1, 2, 5])),
            [5, 0, 3], shape: [3])
        try expectValues(x.maskedSelect(x .> 8.5), [9, 10, 11], shape: [3])
        #expect(try (x .> 9.5).nonzero().toArray(Int64.self) == [2, 2, 2, 3])
        #expect(try tensor([0.5, 1, 2.5, 3]).bucketize(tensor([1, 2, 3])).toArray(Int64.self) == [0, 0, 2, 2])
        #expect(try tensor([0.5, 1, 2.5, 3]).bucketize(tensor([1, 2, 3]), right: true).toArray(Int64.self) == [0, 1, 2, 3])
    }

    @Test func badDimensionsThrow() throws {
        let x = try Tensor.zeros([2, 3])
        #expect(throws: TorchError.self) { try x.split(size: 1, dim: 2) }
        #expect(throws: TorchError.self) { try x.split(size: 1, dim: -3) }
        #expect(throws: TorchError.self) { try x.chunked(2, dim: 5) }
        #expect(throws: TorchError.self) { try x.chunked(0) }
        #expect(throws: TorchError.self) { try x.narrowed(dim: 1, start: 2, length: 2) }
        #expect(throws: TorchError.self) { try x.transposed(0, 2) }
        #expect(throws: TorchError.self) { try x.unsqueezed(4) }
        #expect(try x.split(size: 2, dim: -1).map(\.shape) == [[2, 2], [2, 1]])
    }

    @Test func viewSharesStorage() throws {
        let x = try Tensor.zeros([2, 3], dtype: .float64)
        let row = try x.selecting(dim: 0, index: 1)
        try row.fill_(7)
        try expectValues(x, [0, 0, 0, 7, 7, 7], shape: [2, 3])
        #expect(throws: TorchError.self) { try x.transposed(0, 1).viewed([6]) }
    }
}
