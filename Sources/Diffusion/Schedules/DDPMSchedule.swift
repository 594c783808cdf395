import Foundation

/// A discrete variance-preserving DDPM noise schedule: per-step β, α, ᾱ, noise level √(1−ᾱ) and
/// posterior variance, for time indices t = 0 (least noisy) … T−1 (spec §A.4).
///
/// Pure values, no tensors. Forward process: x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε. Samplers that work with
/// variance-exploding noise levels use `veSigmas` / `samplingSigmas` (σ_t = √(1−ᾱ_t)/√ᾱ_t, spec §A.15).
public struct DDPMSchedule: Sendable, Equatable {
    /// How the betas are made.
    public enum Kind: Sendable, Equatable {
        /// Nichol & Dhariwal (2021) eq. 17 with offset `s`: f(k) = cos²(((k/T) + s)/(1 + s)·π/2),
        /// β_k = 1 − f(k+1)/f(k), clipped to `betaBounds` (CaloDiffusion: s = 0.008, [1e-4, 0.9999]).
        case cosine(offset: Double, betaBounds: ClosedRange<Double>)
        /// Ho et al. (2020): β evenly spaced from `betaStart` to `betaEnd` (inclusive), unclipped.
        case linear(betaStart: Double, betaEnd: Double)
    }

    /// The recipe; `rebuilt(stepCount:)` applies it to another T.
    public let kind: Kind
    /// β_t, t = 0 … T−1.
    public let betas: [Double]
    /// α_t = 1 − β_t.
    public let alphas: [Double]
    /// ᾱ_t = ∏_{j ≤ t} α_j, the cumulative product of the (clipped) α (spec §A.4: ᾱ_t corresponds to f(t+1)).
    public let alphaBars: [Double]
    /// √(1 − ᾱ_t): the noise standard deviation of x_t, and the network's noise-level input (spec §A.6).
    public let noiseLevels: [Double]
    /// β_t·(1 − ᾱ_{t−1})/(1 − ᾱ_t) with ᾱ_{−1} = 1, so 0 at t = 0 (spec §A.4).
    public let posteriorVariances: [Double]

    /// T, the number of discrete steps.
    public var stepCount: Int { betas.count }

    /// Builds the schedule of `kind` with T = `stepCount` steps.
    ///
    /// Throws `DiffusionError.invalidParameter` for T < 1, an offset s ≤ 0, or betas outside (0, 1).
    public init(kind: Kind, stepCount: Int) throws {
        guard stepCount >= 1 else {
            throw DiffusionError.invalidParameter(
                name: "stepCount", value: "\(stepCount)", requirement: "a schedule needs at least 1 step")
        }
        let betas: [Double]
        switch kind {
        case let .cosine(s, bounds):
            guard s > 0, bounds.lowerBound > 0, bounds.upperBound < 1 else {
                throw DiffusionError.invalidParameter(
                    name: "cosine schedule", value: "s = \(s), β bounds \(bounds)",
                    requirement: "need s > 0 and 0 < β_min ≤ β_max < 1")
            }
            let f = (0...stepCount).map { k -> Double in
                let c = cos((Double(k) / Double(stepCount) + s) / (1 + s) * Double.pi / 2)
                return c * c
            }
            // The normalisation g_k = f(k)/f(0) cancels in the ratio g_{k+1}/g_k.
            betas = (0..<stepCount).map { k in min(max(1 - f[k + 1] / f[k], bounds.lowerBound), bounds.upperBound) }
        case let .linear(start, end):
            guard start > 0, end < 1, start <= end else {
                throw DiffusionError.invalidParameter(
                    name: "linear schedule", value: "β from \(start) to \(end)", requirement: "need 0 < betaStart ≤ betaEnd < 1")
            }
            betas = (0..<stepCount).map { k in
                stepCount == 1 ? start : start + (end - start) * Double(k) / Double(stepCount - 1)
            }
        }
        let alphas = betas.map { 1 - $0 }
        var product = 1.0
        let alphaBars = alphas.map {
            product *= $0; return product
        }
        let previous = [1.0] + alphaBars.dropLast()
        self.kind = kind
        self.betas = betas
        self.alphas = alphas
        self.alphaBars = alphaBars
        noiseLevels = alphaBars.map { (1 - $0).squareRoot() }
        posteriorVariances = (0..<stepCount).map { t in betas[t] * (1 - previous[t]) / (1 - alphaBars[t]) }
    }

    /// The CaloDiffusion cosine schedule (spec §A.4): T = 400, s = 0.008, β clipped to [1e-4, 0.9999].
    public static func cosine(stepCount: Int = 400, offset: Double = 0.008, betaBounds: ClosedRange<Double> = 1e-4...0.9999)
        throws -> DDPMSchedule
    {
        try DDPMSchedule(kind: .cosine(offset: offset, betaBounds: betaBounds), stepCount: stepCount)
    }

    /// The linear schedule of the CaloDiffusion code (β from 1e-4 to `BETA_MAX` = 0.02, spec §A.4).
    public static func linear(stepCount: Int = 400, betaStart: Double = 1e-4, betaEnd: Double = 0.02) throws -> DDPMSchedule {
        try DDPMSchedule(kind: .linear(betaStart: betaStart, betaEnd: betaEnd), stepCount: stepCount)
    }

    /// The same recipe rebuilt over T = `stepCount` steps: how CaloDiffusion samples with N ≠ 400 steps
    /// (spec §A.4; the network sees √(1−ᾱ_t), not t, so it works with any T).
    public func rebuilt(stepCount: Int) throws -> DDPMSchedule {
        try DDPMSchedule(kind: kind, stepCount: stepCount)
    }

    /// Variance-exploding noise levels σ_t = √(1−ᾱ_t)/√ᾱ_t for t = 0 … T−1, ascending (spec §A.15);
    /// x_t/√ᾱ_t = x₀ + σ_t·ε.
    public var veSigmas: [Double] { alphaBars.map { ((1 - $0) / $0).squareRoot() } }

    /// The sampler's noise-level list: σ_{T−1}, …, σ_0, then 0 (T + 1 values, descending).
    ///
    /// A sampler that drops the first `offset` entries starts at t = T−1−offset (spec §A.12).
    public var samplingSigmas: [Double] { veSigmas.reversed() + [0] }
}
