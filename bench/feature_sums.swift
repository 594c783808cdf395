// Timing of the per-event feature loops of Sources/CaloData/Features on synthetic ds2 showers
// (45 layers x 144 voxels, 30 % occupied): the sequential float64 loop used until 2026-12-07 and
// the numpy-order loop (pairwiseSum) that replaced it. Same arithmetic as HighLevelFeatures.swift,
// no I/O. Build and run (release mode with whole-module optimisation, as `swift build -c release`):
//
//     swiftc -O -wmo -parse-as-library -o /tmp/feature_sums bench/feature_sums.swift \
//         Sources/CaloData/Features/PairwiseSum.swift && /tmp/feature_sums
import Foundation

@main enum FeatureSums {
    static func main() {
        let events = 10_000, layers = 45, perLayer = 144, voxels = layers * perLayer
        var rng = SystemRandomNumberGenerator()
        var showers = [Float](repeating: 0, count: events * voxels)
        for i in showers.indices where Double.random(in: 0..<1, using: &rng) < 0.3 { showers[i] = Float.random(in: 0.02..<50, using: &rng) }
        let r = (0..<perLayer).map { Double($0 % 9) * 4.65 + 2.3 }
        let eta = (0..<perLayer).map { r[$0] * cos(Double($0 / 9) * 0.39) }
        let phi = (0..<perLayer).map { r[$0] * sin(Double($0 / 9) * 0.39) }
        let r2 = r.map { $0 * $0 }, eta2 = eta.map { $0 * $0 }, phi2 = phi.map { $0 * $0 }
        func width(_ m2: Double, _ c: Double) -> Double { let v = m2 - c * c; return (v < 0 ? 0 : v).squareRoot() }

        func old(_ v: UnsafeBufferPointer<Float>) -> Double {
            var sum = 0.0, a = 0.0, b = 0.0, c = 0.0, d = 0.0, e = 0.0, f = 0.0, hits = 0
            for k in 0..<v.count {
                let x = Double(v[k]); sum += x
                a += r[k] * x; b += r2[k] * x; if x > 0 { hits += 1 }
                c += eta[k] * x; d += eta2[k] * x; e += phi[k] * x; f += phi2[k] * x
            }
            let den = sum + 1e-16
            return sum + a / den + width(b / den, a / den) + c / den + width(d / den, c / den) + e / den + width(f / den, e / den) + Double(hits)
        }
        func new(_ v: UnsafeBufferPointer<Float>) -> Double {
            let sum = pairwiseSum(v)
            let den = Double(sum + Float(1e-16))
            func moment(_ x: [Double]) -> Double { x.withUnsafeBufferPointer { x in pairwiseSum(count: v.count) { x[$0] * Double(v[$0]) } } }
            var hits = 0
            for x in v where x > 0 { hits += 1 }
            let a = moment(r) / den, c = moment(eta) / den, e = moment(phi) / den
            return Double(sum) + a + width(moment(r2) / den, a) + c + width(moment(eta2) / den, c) + e + width(moment(phi2) / den, e) + Double(hits)
        }
        for (name, body) in [("sequential float64 (before)", old), ("numpy pairwise (after)", new), ("sequential float64 (before)", old), ("numpy pairwise (after)", new)] {
            let start = Date()
            var checksum = 0.0
            showers.withUnsafeBufferPointer { all in
                for event in 0..<events {
                    let row = UnsafeBufferPointer(rebasing: all[(event * voxels)..<((event + 1) * voxels)])
                    checksum += name.hasPrefix("seq") ? row.reduce(0.0) { $0 + Double($1) } : Double(pairwiseSum(row))
                    for layer in 0..<layers { checksum += body(UnsafeBufferPointer(rebasing: row[(layer * perLayer)..<((layer + 1) * perLayer)])) }
                }
            }
            print(String(format: "%@: %.3f s for %d ds2 events (checksum %.6g)", name, Date().timeIntervalSince(start), events, checksum))
        }
    }
}
