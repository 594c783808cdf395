/// The discrete variance-preserving quantities of one step between VE noise levels σ → σ′ < σ, with
/// ᾱ = 1/(1 + σ²) (spec §A.15) and ᾱ′ = 1/(1 + σ′²) playing ᾱ_t and ᾱ_{t−1} (spec §A.4).
///
/// On consecutive levels of a `DDPMSchedule` they reproduce its β_t, α_t and posterior variance; they are
/// formed from differences of σ², which are exact, instead of 1 − ᾱ_t/ᾱ_{t−1}, which cancels.
struct VPTransition {
    /// ᾱ_t.
    let alphaBar: Double
    /// ᾱ_{t−1} (1 at σ′ = 0).
    let nextAlphaBar: Double
    /// β_t = 1 − ᾱ_t/ᾱ_{t−1} = (σ² − σ′²)/(1 + σ²).
    let beta: Double
    /// α_t = 1 − β_t = (1 + σ′²)/(1 + σ²).
    let alpha: Double
    /// √(1 − ᾱ_t) = σ/√(1 + σ²).
    let noiseLevel: Double
    /// β_t·(1 − ᾱ_{t−1})/(1 − ᾱ_t) = (σ² − σ′²)·σ′²/(σ²·(1 + σ′²)); 0 at σ′ = 0.
    let posteriorVariance: Double

    init(sigma: Double, next: Double) {
        let (s2, n2) = (sigma * sigma, next * next)
        alphaBar = 1 / (1 + s2)
        nextAlphaBar = 1 / (1 + n2)
        beta = (s2 - n2) / (1 + s2)
        alpha = (1 + n2) / (1 + s2)
        noiseLevel = sigma / (1 + s2).squareRoot()
        posteriorVariance = (s2 - n2) * n2 / (s2 * (1 + n2))
    }
}
