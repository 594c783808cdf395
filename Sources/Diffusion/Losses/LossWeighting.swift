import Torch

/// The loss weight λ(t) of a process objective, per sample `[batch]`.
public protocol LossWeighting: Sendable {
    /// λ for per-sample coefficients.
    func weight(_ coefficients: ProcessCoefficients) throws -> Tensor
}

/// λ = 1: a plain regression of F onto its target (ε, v, flow matching; CaloScore's (NN + z)²).
public struct UnitLossWeighting: LossWeighting {
    /// λ = 1.
    public init() {}

    public func weight(_ coefficients: ProcessCoefficients) throws -> Tensor { try coefficients.time.onesLike() }
}

/// λ = (s·σ)², the marginal variance: denoising score matching with λ ∝ 1/E‖∇ log p(x_t | x₀)‖² (Song et al.
/// 2021; CaloScore, spec §B.1.3).
public struct MarginalVarianceLossWeighting: LossWeighting {
    /// λ = (s·σ)².
    public init() {}

    public func weight(_ coefficients: ProcessCoefficients) throws -> Tensor {
        try coefficients.marginalStd * coefficients.marginalStd
    }
}
