import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct EDMPreconditionerTests {
    /// A fixed "network" with unit-scale output that depends on its inputs.
    static func network(_ input: Tensor, _ noiseLevel: Tensor, _ condition: DiffusionCondition) throws -> Tensor {
        try sin(input) + noiseLevel.appendingUnitAxes(toRank: input.ndim) * 0.1
    }

    @Test(arguments: [0.5, 1.0])
    func reducesToTheIdentityAsSigmaVanishes(sigmaData: Double) throws {
        let denoiser = try EDMPreconditioner(sigmaData: sigmaData, network: Self.network)
        let x = try Tensor.randn([8, 5], dtype: .float64, generator: Generator(seed: 1))
        let condition = try unconditioned(batch: 8)
        for sigma in [1e-4, 1e-6, 1e-9] {
            let difference = try maxAbsDifference(denoiser(x, sigma: sigma, condition: condition), x)
            // |D − x| ≤ (1 − c_skip)·|x| + c_out·|F| with 1 − c_skip ≈ σ²/σ_d², c_out ≈ σ and |F| ≤ 1 + 0.1·|ln σ|/4.
            #expect(difference <= 2 * sigma, "σ = \(sigma): |D − x| = \(difference)")
        }
    }

    @Test(arguments: [0.01, 0.5, 3.0, 80.0])
    func inputScalingGivesUnitVariance(sigma: Double) throws {
        let sigmaData = 0.5
        let generator = try Generator(seed: 7)
        let count = 200_000
        let y = try Tensor.randn([count], dtype: .float64, generator: generator) * sigmaData
        let n = try Tensor.randn([count], dtype: .float64, generator: generator) * sigma
        let denoiser = try EDMPreconditioner(sigmaData: sigmaData, network: Self.network)
        let cIn = try denoiser.scalings(sigma: Tensor([sigma])).cIn
        let variance = try (cIn * (y + n)).variance().item()
        // The variance of n normal samples has standard error σ²·√(2/(n − 1)).
        #expect(abs(variance - 1) < 4 * (2.0 / Double(count - 1)).squareRoot())
    }

    @Test func lossWeightTimesSquaredOutputScaleIsOne() throws {
        for sigmaData in [0.5, 1.0] {
            let sigma = try Tensor([0.002, 0.1, 0.5, 1, 10, 80])
            let denoiser = try EDMPreconditioner(sigmaData: sigmaData, network: Self.network)
            let (cSkip, cOut, cIn, _) = try denoiser.scalings(sigma: sigma)
            let product = try EDMLoss.weight(sigma: sigma, sigmaData: sigmaData) * cOut * cOut
            #expect(try maxAbsDifference(product, product.onesLike()) < 1e-12)
            // Table 1 written through c_in: c_skip = σ_d²·c_in², c_out = σ·σ_d·c_in.
            #expect(try maxAbsDifference(cSkip, sigmaData * sigmaData * cIn * cIn) < 1e-15)
            #expect(try maxAbsDifference(cOut, sigma * sigmaData * cIn) < 1e-15)
        }
    }

    @Test(arguments: EDMPreconditioner.NoiseInput.allCases)
    func passesScaledInputAndNoiseLevelToTheNetwork(noiseInput: EDMPreconditioner.NoiseInput) throws {
        var seen: (input: Tensor, noiseLevel: Tensor)?
        let denoiser = try EDMPreconditioner(sigmaData: 0.5, noiseInput: noiseInput) { input, noiseLevel, _ in
            seen = (input, noiseLevel)
            return try input.zerosLike()
        }
        let x = try Tensor([1.0, -2.0, 3.0, 4.0], shape: [2, 2])
        let sigma = try Tensor([0.5, 2.0])
        let denoised = try denoiser(x, sigma: sigma, condition: unconditioned(batch: 2))
        let (input, noiseLevel) = try #require(seen)
        let expectedNoise: [Double] =
            switch noiseInput {
            case .quarterLogSigma: [log(0.5) / 4, log(2.0) / 4]
            case .halfLogSigma: [log(0.5) / 2, log(2.0) / 2]
            case .vpNoiseLevel: [0.5 / 1.25.squareRoot(), 2 / 5.0.squareRoot()]
            }
        #expect(try maxAbsDifference(noiseLevel, Tensor(expectedNoise)) < 1e-15)
        let cIn = [1 / 0.5.squareRoot(), 1 / 4.25.squareRoot()]
        #expect(try maxAbsDifference(input, Tensor([cIn[0], -2 * cIn[0], 3 * cIn[1], 4 * cIn[1]], shape: [2, 2])) < 1e-15)
        // F = 0 leaves c_skip·x.
        #expect(try maxAbsDifference(denoised, Tensor([0.5, -1.0, 3 * 0.25 / 4.25, 4 * 0.25 / 4.25], shape: [2, 2])) < 1e-15)
    }

    @Test func runsTheNetworkInItsOwnDType() throws {
        var networkDTypes: [DType] = []
        let denoiser = try EDMPreconditioner(networkDType: .float32) { input, noiseLevel, _ in
            networkDTypes = [input.dtype, noiseLevel.dtype]
            return input
        }
        let x = try Tensor.ones([3, 2], dtype: .float64)
        let denoised = try denoiser(x, sigma: 1.0, condition: unconditioned(batch: 3))
        #expect(networkDTypes == [.float32, .float32])
        #expect(denoised.dtype == .float64)
    }

    @Test func rejectsANonPositiveSigmaData() {
        #expect(throws: DiffusionError.self) { try EDMPreconditioner(sigmaData: 0, network: Self.network) }
    }
}
