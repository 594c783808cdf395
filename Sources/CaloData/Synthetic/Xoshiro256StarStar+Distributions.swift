import Foundation

// Samplers written against our own generator (never the standard library's `random(in:using:)`
// or `shuffled(using:)`, whose algorithms may change between Swift versions), so that a seed gives
// the same showers everywhere. The transcendental functions come from the platform's libm
// (glibc on Linux): runs are bit-identical between machines with the same libm.
extension Xoshiro256StarStar {
    /// Uniform in [0, 1), 53 random bits.
    @inline(__always)
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in (0, 1): never 0, so its logarithm is finite.
    @inline(__always)
    mutating func uniformOpen() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Uniform integer in 0 ..< bound (Lemire's multiply-shift with rejection; unbiased).
    mutating func uniformInt(below bound: Int) -> Int {
        precondition(bound > 0, "uniformInt(below:) needs a positive bound")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// Standard normal deviate (Box–Muller; one of the pair is used).
    mutating func normal() -> Double {
        let radius = (-2 * Foundation.log(uniformOpen())).squareRoot()
        return radius * Foundation.cos(2 * Double.pi * uniform())
    }

    /// Exponential deviate with the given mean.
    mutating func exponential(mean: Double) -> Double { -mean * Foundation.log(uniformOpen()) }

    /// Gamma deviate with unit scale: density x^(k−1) e^(−x) / Γ(k), mean k.
    /// Marsaglia & Tsang, ACM TOMS 26 (2000) 363; shapes below 1 use Gamma(k+1)·U^(1/k).
    mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            let boosted = gamma(shape: shape + 1)
            return boosted * Foundation.pow(uniformOpen(), 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniformOpen()
            let x2 = x * x
            if u < 1 - 0.0331 * x2 * x2 { return d * v }
            if Foundation.log(u) < 0.5 * x2 + d * (1 - v + Foundation.log(v)) { return d * v }
        }
    }

    /// Poisson deviate with the given mean: inversion below 10, else the transformed rejection
    /// method PTRS (W. Hörmann, Insurance: Mathematics and Economics 12 (1993) 39).
    mutating func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean < 10 {
            let u = uniform()
            // e^(−λ) ≥ 1 − λ, so below 1 − λ the answer is 0 without evaluating the exponential.
            if u < 1 - mean { return 0 }
            var probability = Foundation.exp(-mean)
            var cumulative = probability
            var k = 0
            while u > cumulative && k < 200 {
                k += 1
                probability *= mean / Double(k)
                cumulative += probability
            }
            return k
        }
        let rootMean = mean.squareRoot()
        let logMean = Foundation.log(mean)
        let b = 0.931 + 2.53 * rootMean
        let a = -0.059 + 0.02483 * b
        let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let acceptance = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = uniform() - 0.5
            let v = uniform()
            let us = 0.5 - Swift.abs(u)
            let k = ((2 * a / us + b) * u + mean + 0.43).rounded(.down)
            if us >= 0.07 && v <= acceptance { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            let left = Foundation.log(v) + Foundation.log(inverseAlpha) - Foundation.log(a / (us * us) + b)
            let right = -mean + k * logMean - Foundation.lgamma(k + 1)
            if left <= right { return Int(k) }
        }
    }
}
