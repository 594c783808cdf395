import Foundation
import Testing
import Torch
import _TestSupport

// Deterministic inputs and the finite-difference gradient check shared by the op test files.
//
// Inputs come from SplitMix64 rather than a Torch `Generator`, so the same values can be rebuilt
// in Python (Fixtures/make_golden.py) without relying on LibTorch's generator staying bit-stable.

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, well-mixed 64-bit generator.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

/// `count` deterministic values uniform in [0, 1).
func unitValues(_ count: Int, seed: UInt64) -> [Double] {
    var rng = SplitMix64(state: seed)
    return (0..<count).map { _ in rng.nextUnit() }
}

/// Where the entries of a test input are drawn from. Domains keep inputs away from the points
/// where an op is not differentiable (0 for abs/relu, ties for max/sort, ≤ 0 for log).
enum Domain: Sendable {
    /// Uniform in [lo, hi).
    case uniform(Double, Double)
    /// |x| uniform in [0.2, 1.5) with a random sign.
    case awayFromZero
    /// Exactly these values (row-major).
    case values([Double])

    /// Uniform in [-1.5, 1.5).
    static let general = Domain.uniform(-1.5, 1.5)
    /// Uniform in [0.5, 2).
    static let positive = Domain.uniform(0.5, 2)
    /// Uniform in [0.1, 0.9).
    static let probability = Domain.uniform(0.1, 0.9)

    func sample(_ count: Int, seed: UInt64) -> [Double] {
        switch self {
        case let .uniform(lo, hi):
            return unitValues(count, seed: seed).map { lo + (hi - lo) * $0 }
        case .awayFromZero:
            let u = unitValues(2 * count, seed: seed)
            return (0..<count).map { i in (u[2 * i] < 0.5 ? -1.0 : 1.0) * (0.2 + 1.3 * u[2 * i + 1]) }
        case let .values(values):
            precondition(values.count == count, "Domain.values has \(values.count) values for \(count) entries")
            return values
        }
    }
}

/// The shape and domain of one float64 input of a test function.
struct InputSpec: Sendable {
    var shape: [Int]
    var domain: Domain
}

func input(_ shape: [Int], _ domain: Domain = .general) -> InputSpec { InputSpec(shape: shape, domain: domain) }

/// A float64 CPU tensor for `spec`, reproducible from `seed`.
func makeTensor(_ spec: InputSpec, seed: UInt64) throws -> Tensor {
    let count = spec.shape.reduce(1, *)
    return try Tensor(spec.domain.sample(count, seed: seed), shape: spec.shape)
}

/// The inputs of a case: input `i` uses seed `i + 1`.
func makeInputs(_ specs: [InputSpec]) throws -> [Tensor] {
    try specs.enumerated().map { try makeTensor($1, seed: UInt64($0 + 1)) }
}

/// An element-wise reference: the expected output values from the inputs' values.
typealias Reference = @Sendable ([[Double]]) -> [Double]

/// Reference for a unary element-wise op.
func unary(_ f: @escaping @Sendable (Double) -> Double) -> Reference { { $0[0].map(f) } }

/// Reference for a binary element-wise op on same-shape inputs.
func binary(_ f: @escaping @Sendable (Double, Double) -> Double) -> Reference { { zip($0[0], $0[1]).map(f) } }

/// One differentiable function of float64 inputs whose autograd gradient is checked against
/// central finite differences, and (when `reference` is given) whose values are checked too.
struct GradientCase: Sendable, CustomTestStringConvertible {
    let name: String
    let inputs: [InputSpec]
    let rtol: Double
    let atol: Double
    let reference: Reference?
    let function: @Sendable ([Tensor]) throws -> Tensor

    init(
        _ name: String, _ inputs: [InputSpec], rtol: Double = 1e-5, atol: Double = 1e-7, reference: Reference? = nil,
        _ function: @escaping @Sendable ([Tensor]) throws -> Tensor
    ) {
        self.name = name
        self.inputs = inputs
        self.rtol = rtol
        self.atol = atol
        self.reference = reference
        self.function = function
    }

    var testDescription: String { name }
}

/// Checks ∂/∂input of Σ w·f(inputs) for every input against central differences, where `w` is a
/// fixed non-uniform weight: a plain sum would make the check vacuous for ops whose outputs sum
/// to a constant (softmax, normalisations). Also requires the gradient to be non-zero somewhere,
/// so a case cannot pass by differentiating a constant.
func expectGradientsMatchFiniteDifferences(_ c: GradientCase, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let inputs = try makeInputs(c.inputs)
    let output = try c.function(inputs)
    #expect(output.dtype == .float64, "\(c.name): output dtype \(output.dtype)", sourceLocation: sourceLocation)
    if let reference = c.reference {
        let expected = reference(try inputs.map { try $0.toArray(Double.self) })
        let check = try allClose(output.flattened(), Tensor(expected), rtol: 1e-12, atol: 1e-12)
        #expect(check.ok, "\(c.name) values: \(check.message)", sourceLocation: sourceLocation)
    }
    let weight = try Tensor(unitValues(output.elementCount, seed: 977).map { 0.5 + $0 }, shape: output.shape)
    for index in inputs.indices {
        let f: (Tensor) throws -> Tensor = { x in
            var arguments = inputs
            arguments[index] = x
            return try c.function(arguments) * weight
        }
        let numeric = try numericalGradient(of: f, at: inputs[index])
        let analytic = try analyticGradient(of: f, at: inputs[index])
        let check = try allClose(analytic, numeric, rtol: c.rtol, atol: c.atol)
        #expect(check.ok, "\(c.name) ∂/∂input\(index): \(check.message)", sourceLocation: sourceLocation)
        let largest = try numeric.abs().amax().item()
        #expect(largest > 1e-4, "\(c.name) ∂/∂input\(index) is zero: the case checks nothing", sourceLocation: sourceLocation)
    }
}

/// `#expect`s that two tensors are close (shape first), printing both on failure.
func expectClose(
    _ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-10, atol: Double = 1e-12, _ label: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let check = try allClose(actual, expected, rtol: rtol, atol: atol)
    #expect(check.ok, "\(label) \(check.message)", sourceLocation: sourceLocation)
}

/// `#expect`s that a tensor holds `expected` (float64, shape `shape`).
func expectValues(
    _ actual: Tensor, _ expected: [Double], shape: [Int], rtol: Double = 1e-10, atol: Double = 1e-12, _ label: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    try expectClose(actual, Tensor(expected, shape: shape), rtol: rtol, atol: atol, label, sourceLocation: sourceLocation)
}

/// A float64 tensor from literal values.
func tensor(_ values: [Double], _ shape: [Int]? = nil) throws -> Tensor { try Tensor(values, shape: shape) }

/// An int64 index tensor from literal values.
func indices(_ values: [Int64], _ shape: [Int]? = nil) throws -> Tensor { try Tensor(values, shape: shape) }
