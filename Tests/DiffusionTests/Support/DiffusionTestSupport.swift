import Diffusion
import Foundation
import Torch
import _TestSupport

/// A condition the Gaussian test doubles ignore: zero incident energies `[batch, 1]`.
func unconditioned(batch: Int, dtype: DType = .float64) throws -> DiffusionCondition {
    DiffusionCondition(incidentEnergy: try Tensor.zeros([batch, 1], dtype: dtype))
}

/// Sample mean and standard deviation (correction 1) of all elements, with their standard errors
/// s/√n and s/√(2n) (normal data).
struct SampleStatistics {
    let count: Int
    let mean: Double
    let std: Double
    var meanError: Double { std / Double(count).squareRoot() }
    var stdError: Double { std / (2 * Double(count)).squareRoot() }

    init(_ x: Tensor) throws {
        count = x.elementCount
        mean = try x.mean().item()
        std = try x.standardDeviation().item()
    }
}

/// log₂ of successive error ratios when the step count doubles: the observed convergence order.
func observedOrders(_ errors: [Double]) -> [Double] {
    zip(errors, errors.dropFirst()).map { log2($0 / $1) }
}

/// max |a − b| over all elements.
func maxAbsDifference(_ a: Tensor, _ b: Tensor) throws -> Double {
    try (a - b).abs().amax().item()
}

/// The deterministic-sampler convergence experiment for Gaussian data: max |x_N − x_exact| at each step count,
/// every run from the same standard-normal noise; `sigmas(N)` gives the levels of an N-step run, and the
/// sampler's start in VE scaling is noise·`startScale(σ₀)`.
func endpointErrors(
    _ sampler: some Sampler, denoiser: some Denoiser, gaussian: GaussianDenoiser, stepCounts: [Int],
    startScale: (Double) -> Double, sigmas: (Int) throws -> [Double]
) throws -> [Double] {
    let noise = try Tensor([-2.5, -1.2, -0.3, 0.4, 1.1, 2.2])
    let condition = try unconditioned(batch: 6)
    return try stepCounts.map { stepCount in
        let levels = try sigmas(stepCount)
        let result = try sampler.sample(
            denoiser, noise: noise, sigmas: levels, condition: condition, generator: Generator(seed: 0))
        let exact = try noise.toArray(Double.self).map {
            gaussian.odeSolution(start: $0 * startScale(levels[0]), sigmaMax: levels[0])
        }
        return try maxAbsDifference(result, Tensor(exact))
    }
}

/// The least-squares slope of −log(error) against log(steps): the convergence order fitted over all runs.
func fittedOrder(stepCounts: [Int], errors: [Double]) -> Double {
    let (u, v) = (stepCounts.map { log(Double($0)) }, errors.map { -log($0) })
    let (uMean, vMean) = (u.reduce(0, +) / Double(u.count), v.reduce(0, +) / Double(v.count))
    let covariance = zip(u, v).map { ($0 - uMean) * ($1 - vMean) }.reduce(0, +)
    return covariance / u.map { ($0 - uMean) * ($0 - uMean) }.reduce(0, +)
}
