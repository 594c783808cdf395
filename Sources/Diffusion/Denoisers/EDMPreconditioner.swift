import Foundation
import Torch

/// The preconditioning of Karras et al. (2022), Table 1: D(x; σ) = c_skip·x + c_out·F(c_in·x, c_noise, c) with
/// c_skip = σ_d²/(σ² + σ_d²), c_out = σ·σ_d/√(σ² + σ_d²), c_in = 1/√(σ² + σ_d²) (spec §C.2, §A.15).
public struct EDMPreconditioner: Denoiser {
    /// The network's noise-level input c_noise as a function of σ.
    public enum NoiseInput: String, Sendable, CaseIterable {
        /// ln(σ)/4 (EDM Table 1; CaloClouds II, spec §C.2).
        case quarterLogSigma
        /// ln(σ)/2 (CaloDiffusion time embedding 'log', spec §A.15).
        case halfLogSigma
        /// σ/√(1 + σ²), the VP noise std (CaloDiffusion time embedding 'sigma', spec §A.15).
        case vpNoiseLevel
    }

    /// σ_data, the standard deviation of the (preprocessed) data.
    public let sigmaData: Double
    /// How σ becomes the network's noise-level input.
    public let noiseInput: NoiseInput
    /// F(c_in·x `[batch, …]`, c_noise `[batch]`, condition) → `[batch, …]`.
    public let network: DiffusionNetwork
    /// The dtype the network runs in (nil: the state's dtype).
    public let networkDType: DType?

    /// Wraps `network`; throws `DiffusionError.invalidParameter` unless σ_data > 0.
    public init(
        sigmaData: Double = 0.5, noiseInput: NoiseInput = .quarterLogSigma, networkDType: DType? = nil,
        network: @escaping DiffusionNetwork
    ) throws {
        guard sigmaData > 0, sigmaData.isFinite else {
            throw DiffusionError.invalidParameter(
                name: "sigmaData", value: "\(sigmaData)", requirement: "σ_data must be positive and finite")
        }
        self.sigmaData = sigmaData
        self.noiseInput = noiseInput
        self.network = network
        self.networkDType = networkDType
    }

    /// c_skip, c_out, c_in and c_noise for per-sample noise levels σ `[batch]` (each `[batch]`).
    public func scalings(sigma: Tensor) throws -> (cSkip: Tensor, cOut: Tensor, cIn: Tensor, cNoise: Tensor) {
        let sigmaData2 = sigmaData * sigmaData
        let total = try sigma * sigma + sigmaData2
        let cIn = try rsqrt(total)
        let cSkip = try sigmaData2 / total
        let cOut = try sigma * sigmaData * cIn
        let cNoise: Tensor
        switch noiseInput {
        case .quarterLogSigma: cNoise = try log(sigma) / 4
        case .halfLogSigma: cNoise = try log(sigma) / 2
        case .vpNoiseLevel: cNoise = try sigma * rsqrt(1 + sigma * sigma)
        }
        return (cSkip, cOut, cIn, cNoise)
    }

    /// D(x; σ, c) = c_skip·x + c_out·F(c_in·x, c_noise, c) for `x` `[batch, …]` and `sigma` `[batch]`.
    public func callAsFunction(_ x: Tensor, sigma: Tensor, condition: DiffusionCondition) throws -> Tensor {
        let (cSkip, cOut, cIn, cNoise) = try scalings(sigma: sigma)
        let input = try cIn.appendingUnitAxes(toRank: x.ndim) * x
        let f = try evaluate(network, input, noiseLevel: cNoise, condition: condition, dtype: networkDType)
        return try cSkip.appendingUnitAxes(toRank: x.ndim) * x + cOut.appendingUnitAxes(toRank: x.ndim) * f
    }
}
