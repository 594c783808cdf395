import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct ButcherTableauTests {
    /// Each tableau meets the order conditions of its order (Hairer, Nørsett & Wanner, Table II.2.1):
    /// Σb = 1 (order 1); Σb·c = 1/2 (2); Σb·c² = 1/3, Σb·(A·c) = 1/6 (3); four more for order 4;
    /// and every row of A sums to its node c_i.
    @Test(arguments: [(ButcherTableau.euler, 1), (.heun, 2), (.midpoint, 2), (.rungeKutta4, 4)])
    func meetsTheOrderConditions(tableau: ButcherTableau, order: Int) {
        let (b, c) = (tableau.weights, tableau.nodes)
        let a = tableau.coefficients.map { $0 + Array(repeating: 0.0, count: tableau.stageCount - $0.count) }
        func dot(_ u: [Double], _ v: [Double]) -> Double { zip(u, v).map { $0 * $1 }.reduce(0, +) }
        let ac = a.map { dot($0, c) }
        #expect(zip(tableau.coefficients, c).allSatisfy { abs($0.reduce(0, +) - $1) < 1e-15 })
        var conditions = [(b.reduce(0, +), 1.0)]
        if order >= 2 { conditions.append((dot(b, c), 1.0 / 2)) }
        if order >= 3 { conditions += [(dot(b, c.map { $0 * $0 }), 1.0 / 3), (dot(b, ac), 1.0 / 6)] }
        if order >= 4 {
            let aac = a.map { dot($0, ac) }
            conditions += [
                (dot(b, c.map { $0 * $0 * $0 }), 1.0 / 4), (dot(b, zip(c, ac).map { $0 * $1 }), 1.0 / 8),
                (dot(b, a.map { dot($0, c.map { $0 * $0 }) }), 1.0 / 12), (dot(b, aac), 1.0 / 24),
            ]
        }
        #expect(conditions.allSatisfy { abs($0.0 - $0.1) < 1e-15 }, "\(conditions)")
        // The next order's first condition fails, so the order is exact: Σb·c^order ≠ 1/(order + 1).
        let power = c.map { pow($0, Double(order)) }
        #expect(abs(dot(b, power) - 1 / Double(order + 1)) > 1e-3)
    }
}
