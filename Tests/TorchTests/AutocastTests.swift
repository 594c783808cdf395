import Testing
import Torch

private struct Boom: Error {}

/// bfloat16 keeps 8 significant bits: one rounding is at most 2⁻⁹ relative; a dot product of float32 inputs
/// rounded to bfloat16 (products accumulated in float32, result rounded once) stays within a few of them.
private let bfloat16Tolerance = 3.0 / 256

@Suite struct AutocastTests {
    private func inputs() throws -> (x: Tensor, weight: Tensor, bias: Tensor) {
        let generator = try Generator(seed: 11)
        return (
            try Tensor.randn([8, 32], generator: generator),
            try Tensor.randn([16, 32], generator: generator),
            try Tensor.randn([16], generator: generator)
        )
    }

    /// max |a − b| / max |b|, in float64.
    private func relativeDifference(_ a: Tensor, _ b: Tensor) throws -> Double {
        let a64 = try a.to(dtype: .float64)
        let b64 = try b.to(dtype: .float64)
        return try (a64 - b64).abs().amax().item() / b64.abs().amax().item()
    }

    @Test func linearAndMatmulRunInBFloat16InsideAndMatchFloat32() throws {
        let (x, weight, bias) = try inputs()
        let reference = try linear(x, weight: weight, bias: bias)
        let product = try x.matmul(weight.transposed(0, 1))
        let (cast, castProduct) = try withAutocast(.bfloat16) {
            (try linear(x, weight: weight, bias: bias), try x.matmul(weight.transposed(0, 1)))
        }
        #expect(reference.dtype == .float32)
        #expect(cast.dtype == .bfloat16)
        #expect(castProduct.dtype == .bfloat16)
        let difference = try relativeDifference(cast, reference)
        #expect(difference < bfloat16Tolerance)
        // It did round: bfloat16 cannot hold these float32 results exactly.
        #expect(difference > 1e-6)
        #expect(try relativeDifference(castProduct, product) < bfloat16Tolerance)
    }

    @Test func convolutionRunsInBFloat16Inside() throws {
        let generator = try Generator(seed: 12)
        let x = try Tensor.randn([2, 3, 5, 5, 5], generator: generator)
        let weight = try Tensor.randn([4, 3, 3, 3, 3], generator: generator)
        let reference = try convolution(x, weight: weight, bias: nil, stride: [1, 1, 1], padding: [1, 1, 1], dilation: [1, 1, 1])
        let cast = try withAutocast {
            try convolution(x, weight: weight, bias: nil, stride: [1, 1, 1], padding: [1, 1, 1], dilation: [1, 1, 1])
        }
        let transposed = try withAutocast {
            try transposedConvolution(x, weight: weight.transposed(0, 1), bias: nil, stride: [1, 1, 1], padding: [1, 1, 1], dilation: [1, 1, 1])
        }
        #expect(cast.dtype == .bfloat16)
        #expect(transposed.dtype == .bfloat16)
        #expect(try relativeDifference(cast, reference) < bfloat16Tolerance)
    }

    @Test func elementwiseOpsFollowTheirInputs() throws {
        let (x, weight, bias) = try inputs()
        let (sum, residual) = try withAutocast {
            let y = try linear(x, weight: weight, bias: bias)
            return (try y + y, try y + Tensor.zeros([8, 16]))
        }
        #expect(sum.dtype == .bfloat16)
        #expect(residual.dtype == .float32)
    }

    @Test func outsideTheScopeOpsStayFloat32AndTheStateIsRestored() throws {
        let before = AutocastState.current()
        #expect(!before.isEnabled)
        let (x, weight, bias) = try inputs()
        let inside = try withAutocast { AutocastState.current() }
        #expect(inside == AutocastState(isEnabled: true, dtype: .bfloat16))
        #expect(AutocastState.current() == before)
        #expect(try linear(x, weight: weight, bias: bias).dtype == .float32)
    }

    @Test func scopesNestAndAnInnerDisabledScopeRunsInFloat32() throws {
        let (x, weight, bias) = try inputs()
        try withAutocast(.bfloat16) {
            let half = try withAutocast(.float16) { (AutocastState.current(), try linear(x, weight: weight, bias: bias)) }
            #expect(half.0 == AutocastState(isEnabled: true, dtype: .float16))
            #expect(half.1.dtype == .float16)
            let full = try withAutocast(enabled: false) { try linear(x, weight: weight, bias: bias) }
            #expect(full.dtype == .float32)
            #expect(AutocastState.current() == AutocastState(isEnabled: true, dtype: .bfloat16))
            #expect(try linear(x, weight: weight, bias: bias).dtype == .bfloat16)
        }
        #expect(!AutocastState.current().isEnabled)
    }

    @Test func theStateIsRestoredWhenTheBodyThrows() throws {
        let before = AutocastState.current()
        #expect(throws: Boom.self) {
            try withAutocast { () throws -> Void in
                #expect(AutocastState.current().isEnabled)
                throw Boom()
            }
        }
        #expect(AutocastState.current() == before)
        let (x, weight, bias) = try inputs()
        #expect(try linear(x, weight: weight, bias: bias).dtype == .float32)
    }

    @Test func anUnsupportedDTypeThrowsANamedErrorAndChangesNothing() throws {
        let before = AutocastState.current()
        #expect(throws: TorchError.autocastUnsupportedDType(device: .cpu, dtype: .float64)) {
            try withAutocast(.float64) {}
        }
        #expect(AutocastState.current() == before)
        let message = TorchError.autocastUnsupportedDType(device: .cpu, dtype: .float64).description
        #expect(message == "autocast on cpu cannot use float64; use bfloat16 or float16")
    }

    @Test func gradientsFlowThroughAutocastAndStayFloat32ForFloat32Leaves() throws {
        let (x, weightValues, biasValues) = try inputs()
        let weight = try weightValues.requiringGrad()
        let bias = try biasValues.requiringGrad()
        let loss = try withAutocast { try linear(x, weight: weight, bias: bias).to(dtype: .float32).square().sum() }
        try loss.backward()
        let weightGrad = try #require(try weight.grad)
        let biasGrad = try #require(try bias.grad)
        #expect(weightGrad.dtype == .float32)
        #expect(biasGrad.dtype == .float32)
        // Reference: the same loss in float32; d/dW Σ (xWᵀ + b)² = 2 (xWᵀ + b)ᵀ x.
        let y = try linear(x, weight: weightValues, bias: biasValues)
        let expected = try (y * 2).transposed(0, 1).matmul(x)
        #expect(try relativeDifference(weightGrad, expected) < 2 * bfloat16Tolerance)
        #expect(try relativeDifference(biasGrad, (y * 2).sum(dims: [0])) < 2 * bfloat16Tolerance)
    }
}
