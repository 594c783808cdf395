import Foundation
import Testing
import Torch
import _TestSupport

private func sigmoidValue(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

private func logitValue(_ x: Double, eps: Double) -> Double {
    let z = Swift.min(Swift.max(x, eps), 1 - eps)
    return Foundation.log(z / (1 - z))
}

private func softplusValue(_ x: Double, beta: Double, threshold: Double) -> Double {
    beta * x > threshold ? x : Foundation.log1p(Foundation.exp(beta * x)) / beta
}

private func geluTanhValue(_ x: Double) -> Double {
    0.5 * x * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
}

/// Values of the clamp cases: inside [-0.5, 0.7] and clearly outside on both sides, never at a bound.
private let clampInputs: [Double] = [-1.2, -0.6, -0.3, 0.1, 0.65, 0.9]

@Suite struct TensorMathTests {
    static let gradientCases: [GradientCase] = [
        GradientCase("abs", [input([2, 3], .awayFromZero)], reference: unary { Swift.abs($0) }) { try abs($0[0]) },
        GradientCase("exp", [input([2, 3])], reference: unary { Foundation.exp($0) }) { try exp($0[0]) },
        GradientCase("log", [input([2, 3], .positive)], reference: unary { Foundation.log($0) }) { try log($0[0]) },
        GradientCase("log1p", [input([2, 3], .uniform(-0.6, 2))], reference: unary { Foundation.log1p($0) }) { try log1p($0[0]) },
        GradientCase("expm1", [input([2, 3])], reference: unary { Foundation.expm1($0) }) { try expm1($0[0]) },
        GradientCase("sqrt", [input([2, 3], .positive)], reference: unary { $0.squareRoot() }) { try sqrt($0[0]) },
        GradientCase("rsqrt", [input([2, 3], .positive)], reference: unary { 1 / $0.squareRoot() }) { try rsqrt($0[0]) },
        GradientCase("sin", [input([2, 3])], reference: unary { Foundation.sin($0) }) { try sin($0[0]) },
        GradientCase("cos", [input([2, 3])], reference: unary { Foundation.cos($0) }) { try cos($0[0]) },
        GradientCase("tan", [input([2, 3], .uniform(-1.2, 1.2))], reference: unary { Foundation.tan($0) }) { try $0[0].tan() },
        GradientCase("sinh", [input([2, 3])], reference: unary { Foundation.sinh($0) }) { try $0[0].sinh() },
        GradientCase("cosh", [input([2, 3])], reference: unary { Foundation.cosh($0) }) { try $0[0].cosh() },
        GradientCase("tanh", [input([2, 3])], reference: unary { Foundation.tanh($0) }) { try tanh($0[0]) },
        GradientCase("sigmoid", [input([2, 3])], reference: unary(sigmoidValue)) { try sigmoid($0[0]) },
        GradientCase("erf", [input([2, 3])], reference: unary { Foundation.erf($0) }) { try $0[0].erf() },
        GradientCase("erfinv", [input([2, 3], .uniform(-0.8, 0.8))], rtol: 1e-5) { try $0[0].erfinv() },
        GradientCase("square", [input([2, 3])], reference: unary { $0 * $0 }) { try $0[0].square() },
        GradientCase("reciprocal", [input([2, 3], .awayFromZero)], reference: unary { 1 / $0 }) { try $0[0].reciprocal() },
        GradientCase("log2", [input([2, 3], .positive)], reference: unary { Foundation.log2($0) }) { try $0[0].log2() },
        GradientCase("log10", [input([2, 3], .positive)], reference: unary { Foundation.log10($0) }) { try $0[0].log10() },
        GradientCase("logit", [input([2, 3], .probability)], reference: unary { logitValue($0, eps: 0) }) { try $0[0].logit() },
        GradientCase(
            "logit(eps: 0.05), some inputs clamped", [input([2, 3], .values([0.01, 0.3, 0.5, 0.7, 0.97, 0.2]))],
            reference: unary { logitValue($0, eps: 0.05) }
        ) { try $0[0].logit(eps: 0.05) },
        GradientCase("softplus", [input([2, 3], .uniform(-3, 3))], reference: unary { softplusValue($0, beta: 1, threshold: 20) }) {
            try $0[0].softplus()
        },
        GradientCase(
            "softplus(beta: 2, threshold: 1), both branches", [input([2, 3], .values([-1.1, -0.2, 0.3, 0.45, 0.6, 1.4]))],
            reference: unary { softplusValue($0, beta: 2, threshold: 1) }
        ) { try $0[0].softplus(beta: 2, threshold: 1) },
        GradientCase("relu", [input([2, 3], .awayFromZero)], reference: unary { Swift.max($0, 0) }) { try $0[0].relu() },
        GradientCase("leakyRelu(slope: 0.1)", [input([2, 3], .awayFromZero)], reference: unary { $0 > 0 ? $0 : 0.1 * $0 }) {
            try $0[0].leakyRelu(slope: 0.1)
        },
        GradientCase("silu", [input([2, 3])], reference: unary { $0 * sigmoidValue($0) }) { try $0[0].silu() },
        GradientCase("gelu (erf)", [input([2, 3])], reference: unary { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }) {
            try $0[0].gelu()
        },
        GradientCase("gelu (tanh)", [input([2, 3])], reference: unary(geluTanhValue)) { try $0[0].gelu(approximateTanh: true) },
        GradientCase(
            "clamped(min: -0.5, max: 0.7)", [input([2, 3], .values(clampInputs))],
            reference: unary { Swift.min(Swift.max($0, -0.5), 0.7) }
        ) { try $0[0].clamped(min: -0.5, max: 0.7) },
        GradientCase("clamped(min: -0.5)", [input([2, 3], .values(clampInputs))], reference: unary { Swift.max($0, -0.5) }) {
            try $0[0].clamped(min: -0.5)
        },
        GradientCase("clamped(max: 0.7)", [input([2, 3], .values(clampInputs))], reference: unary { Swift.min($0, 0.7) }) {
            try $0[0].clamped(max: 0.7)
        },
        GradientCase(
            "clamped(min: tensor, max: tensor)", [input([2, 3], .values(clampInputs))],
            reference: unary { Swift.min(Swift.max($0, -0.5), 0.7) }
        ) { try $0[0].clamped(min: Tensor.full([3], value: -0.5, dtype: .float64), max: Tensor.full([2, 3], value: 0.7, dtype: .float64)) },
        GradientCase(
            "maskedFill", [input([2, 3])],
            reference: { zip([false, true, true, false, false, true], $0[0]).map { $0 ? -0.25 : $1 } }
        ) { try $0[0].maskedFill(Tensor([false, true, true, false, false, true], shape: [2, 3]), -0.25) },
        GradientCase("lerp(end, weight: 0.3)", [input([2, 3]), input([2, 3])], reference: binary { $0 + 0.3 * ($1 - $0) }) {
            try $0[0].lerp($0[1], weight: 0.3)
        },
    ]

    @Test(arguments: gradientCases)
    func gradientMatchesFiniteDifferences(_ c: GradientCase) throws {
        try expectGradientsMatchFiniteDifferences(c)
    }

    @Test func roundingAndPredicates() throws {
        let x = try tensor([-1.5, -0.4, 0.5, 2.7])
        try expectValues(floor(x), [-2, -1, 0, 2], shape: [4])
        try expectValues(x.ceil(), [-1, -0, 1, 3], shape: [4])
        try expectValues(round(x), [-2, -0, 0, 3], shape: [4])  // half to even, as PyTorch
        try expectValues(x.trunc(), [-1, -0, 0, 2], shape: [4])
        try expectValues(x.sign(), [-1, -1, 1, 1], shape: [4])
        let y = try tensor([1, .nan, .infinity, -2])
        #expect(try y.isNaN().toArray(Bool.self) == [false, true, false, false])
        #expect(try y.isFinite().toArray(Bool.self) == [true, false, false, true])
    }

    @Test func erfinvInvertsErf() throws {
        let x = try tensor([-0.9, -0.3, 0, 0.4, 0.95])
        try expectClose(x.erfinv().erf(), x, rtol: 1e-12, atol: 1e-14)
    }
}
