import Torch

/// Karras et al. (2022) Alg. 2's stochastic "churn": before a step from σ, raise the level to σ̂ = σ·(1 + γ)
/// by adding fresh noise, x̂ = x + S_noise·√(σ̂² − σ²)·z, with γ = min(S_churn/N, √2 − 1) for σ in
/// [S_tmin, S_tmax] and γ = 0 elsewhere (N: the number of steps). The one shared copy of the block that
/// k-diffusion repeats in `sample_euler`, `sample_heun` and `sample_dpm_2`.
public struct Churn: Equatable, Sendable {
    /// S_churn ≥ 0, the total added stochasticity over the run (0: none, the sampler stays deterministic).
    public var amount: Double
    /// S_tmin: no churn below this σ.
    public var sigmaMin: Double
    /// S_tmax: no churn above this σ.
    public var sigmaMax: Double
    /// S_noise: the added noise's scale; slightly above 1 offsets the denoiser's loss of detail (EDM: 1.003–1.007).
    public var noiseScale: Double

    /// Churn of `amount` applied on [`sigmaMin`, `sigmaMax`]; the defaults (0, ∞, 1) are EDM's and k-diffusion's.
    public init(amount: Double = 0, sigmaMin: Double = 0, sigmaMax: Double = .infinity, noiseScale: Double = 1) {
        (self.amount, self.sigmaMin, self.sigmaMax, self.noiseScale) = (amount, sigmaMin, sigmaMax, noiseScale)
    }

    /// No churn: the deterministic sampler.
    public static let none = Churn()

    /// Whether a run draws fresh noise.
    public var isStochastic: Bool { amount > 0 && noiseScale > 0 }

    /// (x̂, σ̂) for the step from `sigma` of a run of `stepCount` steps; (x, σ) unchanged where γ = 0.
    func raised(_ x: Tensor, sigma: Double, stepCount: Int, generator: Generator) throws -> (x: Tensor, sigma: Double) {
        let gamma = sigmaMin <= sigma && sigma <= sigmaMax ? min(amount / Double(stepCount), 2.0.squareRoot() - 1) : 0
        guard gamma > 0 else { return (x, sigma) }
        let sigmaHat = sigma * (1 + gamma)
        let spread = noiseScale * (sigmaHat * sigmaHat - sigma * sigma).squareRoot()
        return (try x + spread * freshNoise(like: x, generator: generator), sigmaHat)
    }
}

extension Churn {
    /// The churned ODE loop Euler and Heun share (Karras et al. 2022 Alg. 2): from x = `noise`·σ₀, each step
    /// raises (x, σ) to (x̂, σ̂) and takes one `tableau` step σ̂ → σ′.
    func walk(
        _ tableau: ButcherTableau, _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double],
        condition: DiffusionCondition, generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        try walkLevels(sigmas, start: { try noise * $0 }, onStep: onStep) { x, sigma, next in
            let (xHat, sigmaHat) = try raised(x, sigma: sigma, stepCount: sigmas.count - 1, generator: generator)
            return try tableau.step(denoiser, xHat, sigma: sigmaHat, next: next, condition: condition)
        }
    }
}
