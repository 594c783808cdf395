import Foundation
import Torch

/// DPM-Solver++(2M) (Lu et al. 2022, Alg. 2; k-diffusion `sample_dpmpp_2m`): a multistep solver, second order
/// in the data prediction D with t = −log σ. With h = log(σ/σ′), r = h₋/h for the previous step's h₋ and D₋:
/// x′ = (σ′/σ)·x + (1 − σ′/σ)·D̂, D̂ = (1 + 1/2r)·D − (1/2r)·D₋ (1 − σ′/σ is k-diffusion's −expm1(−h)).
/// The first step and the last, to σ′ = 0 (where x′ = D), use D̂ = D. One evaluation per step.
public struct DPMSolverPlusPlus2MSampler: Sampler {
    /// A deterministic DPM-Solver++(2M) sampler (no knobs yet).
    public init() {}

    /// Runs DPM-Solver++(2M) from x = `noise`·σ₀ over `sigmas` (see `Sampler`); the generator is not used.
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        var previous: (sigma: Double, denoised: Tensor)?
        return try walkLevels(sigmas, start: { try noise * $0 }, onStep: onStep) { x, sigma, next in
            let denoised = try denoiser(x, sigma: sigma, condition: condition)
            defer { previous = (sigma, denoised) }
            var extrapolated = denoised
            if let previous, next > 0 {
                let r = log(previous.sigma / sigma) / log(sigma / next)
                extrapolated = try (1 + 1 / (2 * r)) * denoised - 1 / (2 * r) * previous.denoised
            }
            return (try next / sigma * x + (1 - next / sigma) * extrapolated, denoised)
        }
    }
}
