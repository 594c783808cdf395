import Diffusion
import Testing
import Torch

@Suite struct RectifiedFlowProcessTests {
    /// x_t = (1 − t)·x₀ + t·n exactly, and σ = t/(1 − t).
    @Test func interpolatesLinearly() throws {
        let process = RectifiedFlowProcess.standard
        let clean = try Tensor([2.0, -1.0])
        let noise = try Tensor([0.5, 3.0])
        let xt = try process.noised(clean: clean, t: Tensor([0.25, 0.75]), noise: noise).toArray(Double.self)
        #expect(xt == [0.75 * 2 + 0.25 * 0.5, 0.25 * -1 + 0.75 * 3])
        #expect(process.sigma(at: 0.75) == 3)
    }

    /// t_min = 0 (σ = 0) and t_max = 1 (σ = ∞) are rejected: samplers need positive, finite levels.
    @Test func rejectsUnboundedRanges() {
        #expect(throws: DiffusionError.self) { try RectifiedFlowProcess(timeRange: 0...0.5) }
        #expect(throws: DiffusionError.self) { try RectifiedFlowProcess(timeRange: 0.1...1) }
    }
}
