import Diffusion
import Foundation
import Testing

@Suite struct SubVariancePreservingProcessTests {
    /// The marginal variance (1 − s²)² never exceeds the VP one, 1 − s² (hence "sub"), with the same scaling.
    @Test func varianceStaysBelowVariancePreserving() throws {
        let (sub, vp) = (try SubVariancePreservingProcess(), try VariancePreservingProcess())
        for t in [1e-5, 0.1, 0.5, 1] {
            #expect(sub.scale(at: t) == vp.scale(at: t))
            let (subStd, vpStd) = (sub.marginalStd(at: t), vp.marginalStd(at: t))
            #expect(subStd * subStd <= vpStd * vpStd, "t = \(t)")
        }
    }

    /// σ = 1/s − s.
    @Test func sigmaIsInverseScaleMinusScale() throws {
        let process = try SubVariancePreservingProcess()
        let s = process.scale(at: 0.6)
        #expect(abs(process.sigma(at: 0.6) - (1 / s - s)) < 1e-12)
    }

    @Test func rejectsInvalidParameters() {
        #expect(throws: DiffusionError.self) { try SubVariancePreservingProcess(betaMin: -1) }
    }
}
