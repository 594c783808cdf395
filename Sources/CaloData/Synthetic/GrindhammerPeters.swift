import Foundation

/// The Grindhammer–Peters parametrisation of electromagnetic showers in sampling calorimeters
/// (G. Grindhammer, S. Peters, "The parameterized simulation of electromagnetic showers in
/// homogeneous and sampling calorimeters", hep-ex/0001020 (1993); G. Grindhammer, M. Rudowicz,
/// S. Peters, NIM A290 (1990) 469), as used by GFLASH. Coefficients are those tabulated in
/// Geant4's GFLASH tuning classes (GVFlashHomoShowerTuning, GFlashSamplingShowerTuning).
///
/// Depths t are in X₀,eff, radii in R_M,eff, energies E in GeV where the paper writes ln E, and
/// y = E/E_c,eff.
struct GrindhammerPeters: Sendable {
    /// Event-level longitudinal parameters: the log-normal distribution of the shower maximum T
    /// and of the shape α of the Gamma profile (1/E) dE/dt = β^α t^(α−1) e^(−βt)/Γ(α), β = (α−1)/T.
    struct Longitudinal: Sendable, Equatable {
        var meanLogT: Double
        var sigmaLogT: Double
        var meanLogAlpha: Double
        var sigmaLogAlpha: Double
        /// Correlation ρ(ln T, ln α).
        var rho: Double
    }

    /// The two-component radial profile at one depth τ (GP 1993, radial profiles):
    /// f(r) = p·2r R_C²/(r² + R_C²)² + (1 − p)·2r R_T²/(r² + R_T²)², r in R_M,eff.
    struct Radial: Sendable, Equatable {
        var coreRadius: Double
        var tailRadius: Double
        var coreWeight: Double

        /// Fraction of the energy inside radius r (R_M units): p·r²/(r² + R_C²) + (1 − p)·r²/(r² + R_T²).
        @inline(__always)
        func containedFraction(_ r: Double) -> Double {
            let r2 = r * r
            return coreWeight * r2 / (r2 + coreRadius * coreRadius) + (1 - coreWeight) * r2 / (r2 + tailRadius * tailRadius)
        }
    }

    let medium: ShowerMedium

    /// The fluctuated longitudinal parameters of GP 1993 (homogeneous media) with their
    /// sampling-calorimeter corrections.
    func longitudinal(energy: Double) -> Longitudinal {
        let y = energy / medium.criticalEnergy
        let lnY = Foundation.log(Swift.max(y, 1.0001))
        let z = medium.effectiveZ
        let fs = medium.samplingFrequency
        let ehat = medium.eOverMip
        // Homogeneous medium: ⟨ln T_hom⟩ = ln(ln y − 0.812), ⟨ln α_hom⟩ = ln(0.81 + (0.458 + 2.26/Z) ln y).
        let tHom = Swift.max(lnY - 0.812, 0.1)
        let alphaHom = Swift.max(0.81 + (0.458 + 2.26 / z) * lnY, 0.1)
        // Sampling medium: T_sam = T_hom − 0.55/F_s − 0.69 (1 − ê); α_sam = α_hom − 0.476/F_s.
        let tSam = Swift.max(tHom - 0.55 / fs - 0.69 * (1 - ehat), 0.1)
        let alphaSam = Swift.max(alphaHom - 0.476 / fs, 1.1)
        // Widths σ = 1/(a + b ln y); capped at 0.5 (as GFLASH does) where the fit leaves its range.
        func width(_ a: Double, _ b: Double) -> Double {
            let denominator = a + b * lnY
            return denominator > 2 ? 1 / denominator : 0.5
        }
        return Longitudinal(
            meanLogT: Foundation.log(tSam), sigmaLogT: width(-2.5, 1.25),
            meanLogAlpha: Foundation.log(alphaSam), sigmaLogAlpha: width(-0.82, 0.79),
            rho: Swift.min(Swift.max(0.784 - 0.023 * lnY, -0.99), 0.99))
    }

    /// The radial parameters R_C, R_T, p of GP 1993 (homogeneous media) plus their sampling terms,
    /// at depth τ = t/T in units of the shower maximum and incident energy `energy` (MeV).
    func radial(energy: Double, tau: Double) -> Radial {
        let lnE = Foundation.log(energy / 1000)
        let z = medium.effectiveZ
        let inverseFs = 1 / medium.samplingFrequency
        let oneMinusEhat = 1 - medium.eOverMip
        // Core: R_C = z₁ + z₂ τ.
        var core = (0.0251 + 0.00319 * lnE) + (0.1162 - 0.000381 * z) * tau
        // Tail: R_T = k₁ [exp(k₃(τ − k₂)) + exp(k₄(τ − k₂))].
        let k1 = 0.659 - 0.00309 * z
        let k2 = 0.645
        let k3 = -2.59
        let k4 = 0.3585 + 0.0412 * lnE
        var tail = k1 * (Foundation.exp(k3 * (tau - k2)) + Foundation.exp(k4 * (tau - k2)))
        // Core weight: p = p₁ exp((p₂ − τ)/p₃ − exp((p₂ − τ)/p₃)).
        let p1 = 2.632 - 0.00094 * z
        let p2 = 0.401 + 0.00187 * z
        let p3 = 1.313 - 0.0686 * lnE
        let x = (p2 - tau) / p3
        var weight = p1 * Foundation.exp(x - Foundation.exp(x))
        // Sampling-calorimeter corrections.
        let early = Foundation.exp(-tau)
        core += -0.0203 * oneMinusEhat + 0.0397 * inverseFs * early
        tail += -0.14 * oneMinusEhat - 0.495 * inverseFs * early
        weight += oneMinusEhat * (0.348 - 0.642 * inverseFs * Foundation.exp(-(tau - 1) * (tau - 1)))
        // The fits are not constrained outside their range (very low E, very late τ); keep the
        // profile a probability density with a core narrower than the tail.
        core = Swift.max(core, 0.01)
        tail = Swift.max(tail, core * 1.5)
        weight = Swift.min(Swift.max(weight, 0), 1)
        return Radial(coreRadius: core, tailRadius: tail, coreWeight: weight)
    }
}
