import Foundation

/// The regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a) for one shape `a`:
/// the cumulative distribution of a Gamma(a, 1) variable, i.e. of the longitudinal shower profile
/// in units of β·t (Grindhammer & Peters 1993). ln Γ(a) is computed once per shape.
struct RegularizedGammaP {
    let shape: Double
    private let logGammaShape: Double

    init(shape: Double) {
        precondition(shape > 0, "RegularizedGammaP needs a positive shape")
        self.shape = shape
        logGammaShape = Foundation.lgamma(shape)
    }

    /// P(a, x); 0 for x ≤ 0.
    func callAsFunction(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        guard x.isFinite else { return 1 }
        let prefactor = Foundation.exp(-x + shape * Foundation.log(x) - logGammaShape)
        if x < shape + 1 {
            // Power series Σ xⁿ / (a (a+1) … (a+n)), converging fast below a + 1.
            var term = 1 / shape
            var sum = term
            var denominator = shape
            for _ in 0..<500 {
                denominator += 1
                term *= x / denominator
                sum += term
                if Swift.abs(term) < Swift.abs(sum) * 1e-15 { break }
            }
            return Swift.min(1, sum * prefactor)
        }
        // Continued fraction for Q = 1 − P (modified Lentz), converging fast above a + 1.
        let tiny = 1e-300
        var b = x + 1 - shape
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<500 {
            let an = -Double(i) * (Double(i) - shape)
            b += 2
            d = an * d + b
            if Swift.abs(d) < tiny { d = tiny }
            c = b + an / c
            if Swift.abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if Swift.abs(delta - 1) < 1e-15 { break }
        }
        return Swift.max(0, 1 - prefactor * h)
    }
}
