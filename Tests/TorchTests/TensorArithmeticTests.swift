import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct TensorArithmeticTests {
    static let gradientCases: [GradientCase] = [
        GradientCase("a + b", [input([2, 3]), input([2, 3])], reference: binary(+)) { try $0[0] + $0[1] },
        GradientCase("a + b, b broadcast from [3]", [input([2, 3]), input([3])]) { try $0[0] + $0[1] },
        GradientCase("a + 2.5", [input([2, 3])], reference: unary { $0 + 2.5 }) { try $0[0] + 2.5 },
        GradientCase("2.5 + a", [input([2, 3])], reference: unary { 2.5 + $0 }) { try 2.5 + $0[0] },
        GradientCase("a - b", [input([2, 3]), input([2, 3])], reference: binary(-)) { try $0[0] - $0[1] },
        GradientCase("a - b, b broadcast from [2, 1]", [input([2, 3]), input([2, 1])]) { try $0[0] - $0[1] },
        GradientCase("a - 2.5", [input([2, 3])], reference: unary { $0 - 2.5 }) { try $0[0] - 2.5 },
        GradientCase("2.5 - a", [input([2, 3])], reference: unary { 2.5 - $0 }) { try 2.5 - $0[0] },
        GradientCase("a * b", [input([2, 3]), input([2, 3])], reference: binary(*)) { try $0[0] * $0[1] },
        GradientCase("a * b, b broadcast from [3]", [input([2, 3]), input([3])]) { try $0[0] * $0[1] },
        GradientCase("a * 2.5", [input([2, 3])], reference: unary { $0 * 2.5 }) { try $0[0] * 2.5 },
        GradientCase("2.5 * a", [input([2, 3])], reference: unary { 2.5 * $0 }) { try 2.5 * $0[0] },
        GradientCase("a / b", [input([2, 3]), input([2, 3], .awayFromZero)], reference: binary(/)) { try $0[0] / $0[1] },
        GradientCase("a / b, b broadcast from [3]", [input([2, 3]), input([3], .positive)]) { try $0[0] / $0[1] },
        GradientCase("a / 2.5", [input([2, 3])], reference: unary { $0 / 2.5 }) { try $0[0] / 2.5 },
        GradientCase("2.5 / a", [input([2, 3], .awayFromZero)], reference: unary { 2.5 / $0 }) { try 2.5 / $0[0] },
        GradientCase("-a", [input([2, 3])], reference: unary { -$0 }) { try -$0[0] },
        GradientCase("a.pow(b)", [input([2, 3], .positive), input([2, 3])], reference: binary { Foundation.pow($0, $1) }) {
            try $0[0].pow($0[1])
        },
        GradientCase("pow(a, b), b broadcast from [3]", [input([2, 3], .positive), input([3])]) { try pow($0[0], $0[1]) },
        GradientCase("a.pow(3)", [input([2, 3])], reference: unary { $0 * $0 * $0 }) { try $0[0].pow(3) },
        GradientCase("pow(a, -1.5)", [input([2, 3], .positive)], reference: unary { Foundation.pow($0, -1.5) }) {
            try pow($0[0], -1.5)
        },
        GradientCase("a.pow(0.5)", [input([2, 3], .positive)], reference: unary { $0.squareRoot() }) { try $0[0].pow(0.5) },
        GradientCase("1.7^a", [input([2, 3])], reference: unary { Foundation.pow(1.7, $0) }) { try $0[0].exponentiating(base: 1.7) },
        GradientCase("minimum(a, b)", [input([2, 3]), input([2, 3])], reference: binary { Swift.min($0, $1) }) {
            try minimum($0[0], $0[1])
        },
        GradientCase("maximum(a, b)", [input([2, 3]), input([2, 3])], reference: binary { Swift.max($0, $1) }) {
            try maximum($0[0], $0[1])
        },
        GradientCase(
            "where(c, a, b)", [input([2, 3]), input([2, 3])],
            reference: { zip(zip([true, false, true, false, false, true], $0[0]), $0[1]).map { $0.0 ? $0.1 : $1 } }
        ) { try `where`(Tensor([true, false, true, false, false, true], shape: [2, 3]), $0[0], $0[1]) },
        GradientCase("atan2(a, b)", [input([2, 3]), input([2, 3], .awayFromZero)], reference: binary { Foundation.atan2($0, $1) }) {
            try $0[0].atan2($0[1])
        },
    ]

    @Test(arguments: gradientCases)
    func gradientMatchesFiniteDifferences(_ c: GradientCase) throws {
        try expectGradientsMatchFiniteDifferences(c)
    }

    @Test func scalarTakesTheTensorsDType() throws {
        let a = try Tensor([1, 2, 4] as [Float])
        for result in [try a + 0.1, try 0.1 + a, try a - 0.1, try 0.1 - a, try a * 0.1, try 0.1 * a, try a / 0.1, try 0.1 / a] {
            #expect(result.dtype == .float32)
        }
        #expect(try (0.5 / a).toArray(Float.self) == [0.5, 0.25, 0.125])
        #expect(try (3.0 - a).toArray(Float.self) == [2, 1, -1])
    }

    @Test func integerTensorsPromoteLikePyTorchInBothOrders() throws {
        // PyTorch: an int64 tensor with a Python float gives the default float dtype (float32),
        // whichever side the scalar is on.
        let a = try Tensor([1, 2, 4] as [Int64])
        let results = [try a + 0.5, try 0.5 + a, try a - 0.5, try 0.5 - a, try a * 0.5, try 0.5 * a, try a / 2, try 2 / a]
        #expect(results.map(\.dtype) == [DType](repeating: .float32, count: 8))
        #expect(try (2 / a).toArray(Float.self) == [2, 1, 0.5])
        #expect(try (a / 2).toArray(Float.self) == [0.5, 1, 2])
        #expect(try (0.5 - a).toArray(Float.self) == [-0.5, -1.5, -3.5])
        // Reduced-precision float tensors keep their dtype in both orders too.
        let h = try a.to(dtype: .float16)
        #expect(try (2 / h).dtype == .float16)
        #expect(try (h / 2).dtype == .float16)
        #expect(try (2 / h).toArray(Double.self) == [2, 1, 0.5])
    }

    @Test func comparisonsGiveBooleanMasks() throws {
        let a = try tensor([1, 2, 3])
        let b = try tensor([3, 2, 1])
        #expect(try (a .== b).toArray(Bool.self) == [false, true, false])
        #expect(try (a .!= b).toArray(Bool.self) == [true, false, true])
        #expect(try (a .< b).toArray(Bool.self) == [true, false, false])
        #expect(try (a .<= b).toArray(Bool.self) == [true, true, false])
        #expect(try (a .> b).toArray(Bool.self) == [false, false, true])
        #expect(try (a .>= b).toArray(Bool.self) == [false, true, true])
        #expect(try (a .== 2).toArray(Bool.self) == [false, true, false])
        #expect(try (a .!= 2).toArray(Bool.self) == [true, false, true])
        #expect(try (a .< 2).toArray(Bool.self) == [true, false, false])
        #expect(try (a .<= 2).toArray(Bool.self) == [true, true, false])
        #expect(try (a .> 2).toArray(Bool.self) == [false, false, true])
        #expect(try (a .>= 2).toArray(Bool.self) == [false, true, true])
        let p = try Tensor([true, true, false, false])
        let q = try Tensor([true, false, true, false])
        #expect(try p.logicalAnd(q).toArray(Bool.self) == [true, false, false, false])
        #expect(try p.logicalOr(q).toArray(Bool.self) == [true, true, true, false])
        #expect(try p.logicalXor(q).toArray(Bool.self) == [false, true, true, false])
        #expect(try p.logicalNot().toArray(Bool.self) == [false, false, true, true])
    }

    @Test func remainderFollowsTheDivisorsSignAndFmodTheDividends() throws {
        let a = try tensor([-7, -1, 5, 7])
        try expectValues(a.remainder(3), [2, 2, 2, 1], shape: [4])
        try expectValues(a.remainder(tensor([3, 3, -3, -3])), [2, 2, -1, -2], shape: [4])
        try expectValues(a.fmod(3), [-1, -1, 2, 1], shape: [4])
    }
}
