import Torch

/// The classical fourth-order Runge–Kutta method for the probability-flow ODE dx/dσ = (x − D(x; σ))/σ
/// (Karras et al. 2022 eq. 3): slopes k₁…k₄ at σ, σ + h/2, σ + h/2, σ′, and x′ = x + h/6·(k₁ + 2k₂ + 2k₃ + k₄)
/// with h = σ′ − σ. The last step, to σ = 0, stays Euler, as in Heun. Fourth order; 4N − 3 evaluations.
public struct RungeKutta4Sampler: Sampler {
    /// A deterministic RK4 sampler (no knobs yet).
    public init() {}

    /// Runs RK4 from x = `noise`·σ₀ over `sigmas` (see `Sampler`); the generator is not used.
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        try walkLevels(sigmas, start: { try noise * $0 }, onStep: onStep) { x, sigma, next in
            try ButcherTableau.rungeKutta4.step(denoiser, x, sigma: sigma, next: next, condition: condition)
        }
    }
}
