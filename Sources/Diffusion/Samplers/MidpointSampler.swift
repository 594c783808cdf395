import Torch

/// The explicit midpoint rule for the probability-flow ODE dx/dσ = (x − D(x; σ))/σ (Karras et al. 2022
/// eq. 3): k₁ = f(x, σ), k₂ = f(x + h/2·k₁, σ + h/2), x′ = x + h·k₂ with h = σ′ − σ. The last step, to σ = 0,
/// stays Euler, as in Heun. Second order; 2N − 1 evaluations for N steps.
public struct MidpointSampler: Sampler {
    /// A deterministic midpoint sampler (no knobs yet).
    public init() {}

    /// Runs the midpoint rule from x = `noise`·σ₀ over `sigmas` (see `Sampler`); the generator is not used.
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        try walkLevels(sigmas, start: { try noise * $0 }, onStep: onStep) { x, sigma, next in
            try ButcherTableau.midpoint.step(denoiser, x, sigma: sigma, next: next, condition: condition)
        }
    }
}
