import Torch

/// Score prediction (Song et al. 2021; CaloScore, spec §B.1.3): the score of the network's input x_t,
/// ∇ log p(x_t) = (s·D − x_t)/(s·σ)², so D = x̃ + s·σ²·score (for VE processes, s = 1, the score of x̃).
/// Target: the conditional score −n/(s·σ).
///
/// With `dividesByMarginalStd` (CaloScore's model), the score is F/(s·σ): D = x̃ + σ·F and the target of F
/// is −n, so the squared residual is CaloScore's (NN + z)², i.e. denoising score matching with λ = (s·σ)².
public struct ScoreParametrisation: Parametrisation {
    /// Whether the score is F divided by the marginal std s·σ (CaloScore) rather than F itself.
    public let dividesByMarginalStd: Bool

    /// Score prediction; `dividesByMarginalStd` as in CaloScore's model.
    public init(dividesByMarginalStd: Bool = true) { self.dividesByMarginalStd = dividesByMarginalStd }

    public func denoised(output: Tensor, x: Tensor, coefficients c: ProcessCoefficients) throws -> Tensor {
        let sigma = try c.perSample(c.sigma, like: x)
        guard !dividesByMarginalStd else { return try x + sigma * output }
        return try x + c.perSample(c.scale, like: x) * sigma * sigma * output
    }

    public func target(clean: Tensor, noise: Tensor, coefficients c: ProcessCoefficients) throws -> Tensor {
        guard !dividesByMarginalStd else { return try -noise }
        return try -noise / c.perSample(c.marginalStd, like: clean)
    }
}
