import Torch

/// D from CaloDiffusion's `hybrid` parameterisation (ds3, spec §A.5): with the VP noise level
/// n = √(1−ᾱ), c_skip = 1/(1 + n²), c_out = n/√(1 + n²) (the code's square root; paper eq. 12 omits it)
/// and D = c_skip·x_t + c_out·F(x_t, n, c).
///
/// Called with a VE-scaled x and σ, it uses ᾱ = 1/(1 + σ²), x_t = √ᾱ·x, n = σ/√(1 + σ²).
public struct HybridDenoiser: Denoiser {
    /// F(x_t `[batch, …]`, √(1−ᾱ_t) `[batch]`, condition) → `[batch, …]`.
    public let network: DiffusionNetwork
    /// The dtype the network runs in (nil: the state's dtype).
    public let networkDType: DType?

    /// Wraps a hybrid-objective `network`.
    public init(networkDType: DType? = nil, network: @escaping DiffusionNetwork) {
        self.network = network
        self.networkDType = networkDType
    }

    /// c_skip = 1/(1 + n²) and c_out = n/√(1 + n²) for VP noise levels n = √(1−ᾱ) (spec §A.5).
    public static func scalings(noiseLevel n: Tensor) throws -> (cSkip: Tensor, cOut: Tensor) {
        let onePlusN2 = try 1 + n * n
        return try (1 / onePlusN2, n * rsqrt(onePlusN2))
    }

    /// D(x; σ, c) for VE-scaled `x` `[batch, …]` and noise levels `sigma` `[batch]`.
    public func callAsFunction(_ x: Tensor, sigma: Tensor, condition: DiffusionCondition) throws -> Tensor {
        let (xt, noiseLevel) = try variancePreserving(x, sigma: sigma)
        return try denoised(variancePreserving: xt, noiseLevel: noiseLevel, condition: condition)
    }

    /// D = c_skip·x_t + c_out·F(x_t, n, c) straight from a VP sample x_t and its noise level n `[batch]`.
    public func denoised(variancePreserving xt: Tensor, noiseLevel: Tensor, condition: DiffusionCondition) throws -> Tensor {
        let (cSkip, cOut) = try Self.scalings(noiseLevel: noiseLevel)
        let f = try evaluate(network, xt, noiseLevel: noiseLevel, condition: condition, dtype: networkDType)
        return try cSkip.appendingUnitAxes(toRank: xt.ndim) * xt + cOut.appendingUnitAxes(toRank: xt.ndim) * f
    }
}
