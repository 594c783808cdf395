import Diffusion
import Foundation
import Torch
import _TestSupport

/// Every process with its defaults (CaloScore's VE/VP/sub-VP, CaloScore v2's cosine, rectified flow, CaloDiffusion's
/// discrete cosine schedule), each with its marginal s(t) and s(t)·σ(t) written out independently of the code.
enum ProcessCase: String, CaseIterable, Sendable {
    case varianceExploding, variancePreserving, subVariancePreserving, rectifiedFlow, cosine, discrete

    func make() throws -> any DiffusionProcess {
        switch self {
        case .varianceExploding: return try VarianceExplodingProcess()
        case .variancePreserving: return try VariancePreservingProcess()
        case .subVariancePreserving: return try SubVariancePreservingProcess()
        case .rectifiedFlow: return RectifiedFlowProcess.standard
        case .cosine: return CosineProcess.caloScoreV2
        case .discrete: return try DiscreteVarianceProcess(schedule: DDPMSchedule.cosine())
        }
    }

    /// (mean factor m(t), marginal std) of x_t | x₀ = N(m·x₀, std²) from the papers' formulas (spec §B.1.2, §B.2.2, §A.4).
    func marginal(at t: Double) throws -> (scale: Double, std: Double) {
        switch self {
        case .varianceExploding: return (1, 0.01 * pow(50 / 0.01, t))
        case .variancePreserving:
            let m = exp(-0.25 * t * t * (20 - 0.1) - 0.5 * t * 0.1)
            return (m, (1 - m * m).squareRoot())
        case .subVariancePreserving:
            let m = exp(-0.25 * t * t * (20 - 0.1) - 0.5 * t * 0.1)
            return (m, 1 - m * m)
        case .rectifiedFlow: return (1 - t, t)
        case .cosine:
            let b = atan(exp(-10.0))
            let a = atan(exp(10.0)) - b
            let logSNR = -2 * log(tan(a * t + b))
            func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
            return (sigmoid(logSNR).squareRoot(), sigmoid(-logSNR).squareRoot())
        case .discrete:
            let alphaBar = try DDPMSchedule.cosine().alphaBars[Int(t)]
            return (alphaBar.squareRoot(), (1 - alphaBar).squareRoot())
        }
    }

    /// Interior times at fractions 0.1, 0.37 and 0.8 of the time range (off the discrete grid's integers).
    func interiorTimes() throws -> [Double] {
        let range = try make().timeRange
        return [0.1, 0.37, 0.8].map { range.lowerBound + $0 * (range.upperBound - range.lowerBound) }
    }

    /// Times where `marginal(at:)` is defined: integers for the discrete schedule.
    func gridTimes() throws -> [Double] {
        self == .discrete ? [0, 17, 200, 399] : try interiorTimes()
    }
}

/// Every parametrisation, by name.
enum ParametrisationCase: String, CaseIterable, Sendable {
    case epsilon, data, v, score, scoreUndivided, velocity

    func make() -> any Parametrisation {
        switch self {
        case .epsilon: return EpsilonParametrisation()
        case .data: return DataParametrisation()
        case .v: return VParametrisation()
        case .score: return ScoreParametrisation()
        case .scoreUndivided: return ScoreParametrisation(dividesByMarginalStd: false)
        case .velocity: return VelocityParametrisation()
        }
    }
}

/// The exact network for Gaussian data under `process` and `parametrisation`, with time input t: from x_t,
/// x̃ = x_t/s, D = the exact Gaussian denoiser, and F = the target at (x₀, n) = (D, (x̃ − D)/σ), which is
/// E[target | x_t] because every target is linear in (x₀, n).
func exactNetwork(
    _ gaussian: GaussianDenoiser, process: any DiffusionProcess, parametrisation: any Parametrisation
) -> DiffusionNetwork {
    { xt, t, condition in
        let c = try process.coefficients(at: t, dtype: xt.dtype)
        let x = try xt / c.scale.appendingUnitAxes(toRank: xt.ndim)
        let denoised = try gaussian(x, sigma: c.sigma, condition: condition)
        let noise = try (x - denoised) / c.sigma.appendingUnitAxes(toRank: xt.ndim)
        return try parametrisation.target(clean: denoised, noise: noise, coefficients: c)
    }
}
