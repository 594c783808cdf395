import Torch

/// What a raw network output F means under a `DiffusionProcess`: how it becomes the denoiser D in
/// variance-exploding coordinates (sampling) and what it regresses onto (training).
///
/// The network sees x_t = s(t)·(x₀ + σ(t)·n); samplers hold x̃ = x_t/s(t) = x₀ + σ(t)·n. Every instance's
/// target is linear in (x₀, n), so the exact network is the target at (D, (x̃ − D)/σ), and
/// `denoised(output: target(…))` recovers x₀.
public protocol Parametrisation: Sendable {
    /// D(x̃; σ) `[batch, …]` from the network output `output` at `x` = x̃ `[batch, …]`, per-sample coefficients.
    func denoised(output: Tensor, x: Tensor, coefficients: ProcessCoefficients) throws -> Tensor
    /// The regression target of F for the clean batch `clean` and unit noise `noise` (both `[batch, …]`).
    func target(clean: Tensor, noise: Tensor, coefficients: ProcessCoefficients) throws -> Tensor
}

extension ProcessCoefficients {
    /// `value` `[batch]` with trailing unit axes to broadcast against `x` `[batch, …]`.
    func perSample(_ value: Tensor, like x: Tensor) throws -> Tensor { try value.appendingUnitAxes(toRank: x.ndim) }
}
