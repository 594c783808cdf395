import CaloEval
import Foundation
import Testing

@Suite struct WassersteinDistanceTests {
    @Test func shiftedSampleIsAtTheShift() {
        let u = (0..<1000).map { sin(Double($0)) * 3 }
        for shift in [0.25, 1.0, 7.5] {
            #expect(Swift.abs(wassersteinDistance(u, u.map { $0 + shift }) - shift) < 1e-12)
        }
    }

    @Test func identicalSamplesAreAtZero() {
        let u = (0..<500).map { cos(Double($0) * 0.7) }
        #expect(wassersteinDistance(u, u.shuffled()) == 0)
        // Two large draws from one distribution: close to 0 (of order 1/sqrt(n)).
        var generator = SeededGenerator(seed: 11)
        let a = (0..<50_000).map { _ in Double(generator.index(below: 1 << 30)) / Double(1 << 30) }
        let b = (0..<50_000).map { _ in Double(generator.index(below: 1 << 30)) / Double(1 << 30) }
        #expect(wassersteinDistance(a, b) < 0.01)
    }

    @Test func closedForms() {
        // Point masses: |a − b|. Uniform on {0, 1} against point 0.5: ½.
        #expect(wassersteinDistance([2], [5]) == 3)
        #expect(wassersteinDistance([0, 1], [0.5]) == 0.5)
        // Scaling: W1(c·u, c·v) = c·W1(u, v).
        let u: [Double] = [0, 1, 3, 7], v: [Double] = [2, 2, 5]
        #expect(Swift.abs(wassersteinDistance(u.map { 4 * $0 }, v.map { 4 * $0 }) - 4 * wassersteinDistance(u, v)) < 1e-12)
        #expect(wassersteinDistance([], [1]).isNaN)
    }

    @Test func matchesScipy() throws {
        for golden in try TestFixtures.golden().wasserstein {
            let value = wassersteinDistance(golden.u, golden.v)
            #expect(
                relativelyClose(value, golden.w1, 1e-12),
                "n=\(golden.u.count), m=\(golden.v.count): \(value) vs scipy \(golden.w1)")
        }
    }
}
