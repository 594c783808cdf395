import Torch

/// The distribution a training objective draws per-sample noise levels from.
public protocol NoiseLevelDistribution: Sendable {
    /// `count` draws `[count]` on `device`; float results in `dtype`.
    func sample(count: Int, dtype: DType, device: Device, generator: Generator) throws -> Tensor
}

/// Time indices t ~ U{0, …, T−1}, int64 (DDPM; CaloDiffusion, spec §A.5).
public struct UniformIndexDistribution: NoiseLevelDistribution {
    /// T.
    public let stepCount: Int

    /// Uniform over 0 … `stepCount` − 1; throws `DiffusionError.invalidParameter` for `stepCount` < 1.
    public init(stepCount: Int) throws {
        guard stepCount >= 1 else {
            throw DiffusionError.invalidParameter(name: "stepCount", value: "\(stepCount)", requirement: "need at least 1 step")
        }
        self.stepCount = stepCount
    }

    /// int64 indices (`dtype` is ignored).
    public func sample(count: Int, dtype: DType, device: Device, generator: Generator) throws -> Tensor {
        try Tensor.randint(0, stepCount, shape: [count], device: device, generator: generator)
    }
}

/// Continuous times t ~ U(t_min, t_max) (CaloScore: U(1e-5, 1), spec §B.1.3; CaloScore v2 and flow matching: U(0, 1)).
public struct UniformTimeDistribution: NoiseLevelDistribution {
    /// [t_min, t_max].
    public let range: ClosedRange<Double>

    /// Uniform over `range`.
    public init(range: ClosedRange<Double>) { self.range = range }

    /// t = t_min + (t_max − t_min)·u, u ~ U[0, 1).
    public func sample(count: Int, dtype: DType, device: Device, generator: Generator) throws -> Tensor {
        let u = try Tensor.rand([count], dtype: dtype, device: device, generator: generator)
        return try u * (range.upperBound - range.lowerBound) + range.lowerBound
    }
}

/// Log-normal noise levels ln σ ~ N(P_mean, P_std²) (EDM, Karras et al. 2022 Table 1).
public struct LogNormalSigmaDistribution: NoiseLevelDistribution {
    /// P_mean (EDM −1.2).
    public let logSigmaMean: Double
    /// P_std (EDM 1.2).
    public let logSigmaStd: Double

    /// ln σ ~ N(`logSigmaMean`, `logSigmaStd`²).
    public init(logSigmaMean: Double = -1.2, logSigmaStd: Double = 1.2) {
        self.logSigmaMean = logSigmaMean
        self.logSigmaStd = logSigmaStd
    }

    /// σ = exp(P_std·z + P_mean), z ~ N(0, 1).
    public func sample(count: Int, dtype: DType, device: Device, generator: Generator) throws -> Tensor {
        let normal = try Tensor.randn([count], dtype: dtype, device: device, generator: generator)
        return try exp(normal * logSigmaStd + logSigmaMean)
    }
}
