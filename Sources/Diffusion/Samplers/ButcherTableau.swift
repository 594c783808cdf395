import Torch

/// An explicit Runge–Kutta method given by its Butcher tableau (nodes c, coefficients A, weights b), stepping
/// the probability-flow ODE dx/dσ = (x − D(x; σ))/σ in σ (Hairer, Nørsett & Wanner, Solving ODEs I, §II.1).
public struct ButcherTableau: Equatable, Sendable {
    /// c_i: stage i evaluates the slope at σ + c_i·h, h = σ′ − σ.
    public let nodes: [Double]
    /// a_ij for j < i: stage i starts from x + h·Σ_j a_ij·k_j (row i has i entries).
    public let coefficients: [[Double]]
    /// b_i: the step is x′ = x + h·Σ_i b_i·k_i.
    public let weights: [Double]

    /// A tableau of s stages: `nodes`, `coefficients` and `weights` have s entries, row i of the
    /// coefficients has i entries (explicit methods only). A malformed tableau is a programmer error and traps.
    public init(nodes: [Double], coefficients: [[Double]], weights: [Double]) {
        precondition(nodes.count == weights.count && coefficients.count == nodes.count, "one node, row and weight per stage")
        precondition(coefficients.enumerated().allSatisfy { $0.element.count == $0.offset }, "row i needs i entries")
        (self.nodes, self.coefficients, self.weights) = (nodes, coefficients, weights)
    }

    /// The number of stages s: denoiser evaluations per step (one on the last step, to σ′ = 0).
    public var stageCount: Int { nodes.count }

    /// Euler's method (first order, one stage).
    public static let euler = ButcherTableau(nodes: [0], coefficients: [[]], weights: [1])

    /// Heun's method, the explicit trapezoidal rule (second order, two stages; Karras et al. 2022 Alg. 1).
    public static let heun = ButcherTableau(nodes: [0, 1], coefficients: [[], [1]], weights: [0.5, 0.5])

    /// The explicit midpoint rule (second order, two stages).
    public static let midpoint = ButcherTableau(nodes: [0, 0.5], coefficients: [[], [0.5]], weights: [0, 1])

    /// The classical Runge–Kutta method (fourth order, four stages).
    public static let rungeKutta4 = ButcherTableau(
        nodes: [0, 0.5, 0.5, 1], coefficients: [[], [0.5], [0, 0.5], [0, 0, 1]],
        weights: [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6])

    /// One step σ → σ′ from x: returns x′ and D(x; σ), with one denoiser evaluation per stage. The step to
    /// σ′ = 0 is Euler (one evaluation), since the slope (x − D)/σ is 0/0 there.
    func step(
        _ denoiser: some Denoiser, _ x: Tensor, sigma: Double, next: Double, condition: DiffusionCondition
    ) throws -> (x: Tensor, denoised: Tensor) {
        let h = next - sigma
        let denoised = try denoiser(x, sigma: sigma, condition: condition)
        var slopes = [try odeDerivative(x, denoised: denoised, sigma: sigma)]
        guard next > 0 else { return (try x + h * slopes[0], denoised) }
        for (node, row) in zip(nodes, coefficients).dropFirst() {
            let (stage, level) = (try Self.advanced(x, by: h, weights: row, slopes: slopes), sigma + node * h)
            let stageDenoised = try denoiser(stage, sigma: level, condition: condition)
            slopes.append(try odeDerivative(stage, denoised: stageDenoised, sigma: level))
        }
        return (try Self.advanced(x, by: h, weights: weights, slopes: slopes), denoised)
    }

    /// x + h·Σ_i w_i·k_i, skipping the zero weights.
    private static func advanced(_ x: Tensor, by h: Double, weights: [Double], slopes: [Tensor]) throws -> Tensor {
        var sum = x
        for (weight, slope) in zip(weights, slopes) where weight != 0 { sum = try sum + (h * weight) * slope }
        return sum
    }
}
