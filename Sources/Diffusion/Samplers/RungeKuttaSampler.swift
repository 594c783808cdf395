import Torch

/// An explicit Runge–Kutta solver of the probability-flow ODE dx/dσ = (x − D(x; σ))/σ (Karras et al. 2022
/// eq. 3) given by its Butcher tableau: `.midpoint` (second order), `.rungeKutta4` (fourth), `.euler`, `.heun`.
/// The last step, to σ = 0, is Euler, since the slope is 0/0 there. s stages: s·N − (s − 1) evaluations.
///
/// Flow matching (rectified flow, x_t = (1 − t)·x₀ + t·n) is this ODE seen through σ = t/(1 − t) and the
/// scaling 1 − t: the same solutions, stepped in σ instead of t.
public struct RungeKuttaSampler: Sampler {
    /// The method: nodes, coefficients and weights.
    public var tableau: ButcherTableau

    /// A deterministic solver using `tableau`.
    public init(tableau: ButcherTableau) { self.tableau = tableau }

    /// Solves from x = `noise`·σ₀ over `sigmas` (see `Sampler`); the generator is not used.
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        try walkLevels(sigmas, start: { try noise * $0 }, onStep: onStep) { x, sigma, next in
            try tableau.step(denoiser, x, sigma: sigma, next: next, condition: condition)
        }
    }
}
