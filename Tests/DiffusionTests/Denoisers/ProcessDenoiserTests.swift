import Diffusion
import Testing
import Torch
import _TestSupport

@Suite struct ProcessDenoiserTests {
    /// The exact network of every process and parametrisation, wrapped, is the exact Gaussian denoiser.
    @Test(arguments: ParametrisationCase.allCases, ProcessCase.allCases)
    func exactNetworkGivesTheExactDenoiser(_ kind: ParametrisationCase, _ processKind: ProcessCase) throws {
        let gaussian = GaussianDenoiser(mean: 0.3, std: 0.5)
        let process = try processKind.make()
        let denoiser = ProcessDenoiser(
            process: process, parametrisation: kind.make(),
            network: exactNetwork(gaussian, process: process, parametrisation: kind.make()))
        let sigma = try Tensor(processKind.interiorTimes().map { process.sigma(at: $0) })
        let x = try Tensor([-2.0, 0.1, 0.5, 1.0, 3.0, -0.7], shape: [3, 2]) * sigma.appendingUnitAxes(toRank: 2)
        let condition = try unconditioned(batch: 3)
        let expected = try gaussian(x, sigma: sigma, condition: condition)
        let result = try denoiser(x, sigma: sigma, condition: condition)
        #expect(try maxAbsDifference(result, expected) < 1e-9, "\(kind) under \(processKind)")
    }

    /// Gaussian data N(μ, s²) sampled with Heun over each process's own levels (uniform in t), through the
    /// parametrisation that process is trained with, ends at the exact probability-flow solution, hence at the
    /// same distribution N(μ, s²) for all. (Uniform-in-t levels take one very long first step when σ(t_max) is
    /// large, e.g. e¹⁰ for the cosine process, so Heun needs ~200 steps for 5e-3.)
    @Test(arguments: [
        (ProcessCase.varianceExploding, ParametrisationCase.score), (.variancePreserving, .scoreUndivided),
        (.subVariancePreserving, .score), (.cosine, .v), (.rectifiedFlow, .velocity), (.discrete, .epsilon),
    ])
    func everyProcessSamplesTheSameDistribution(_ processKind: ProcessCase, _ kind: ParametrisationCase) throws {
        let gaussian = GaussianDenoiser(mean: 0.3, std: 0.5)
        let process = try processKind.make()
        let denoiser = ProcessDenoiser(
            process: process, parametrisation: kind.make(),
            network: exactNetwork(gaussian, process: process, parametrisation: kind.make()))
        let count = 4096
        let noise = try Tensor.randn([count], dtype: .float64, generator: Generator(seed: 3))
        let sigmas = try process.samplingSigmas(stepCount: 200)
        let result = try HeunSampler().sample(
            denoiser, noise: noise, sigmas: sigmas, condition: unconditioned(batch: count), generator: Generator(seed: 0))
        let exact = try noise.toArray(Double.self).map { gaussian.odeSolution(start: $0 * sigmas[0], sigmaMax: sigmas[0]) }
        let error = try maxAbsDifference(result, Tensor(exact))
        #expect(error < 5e-3, "\(kind) under \(processKind): max |x − x_exact| = \(error)")
        let stats = try SampleStatistics(result)
        // Starting from N(0, σ₀²) instead of N(μ, s² + σ₀²) biases the mean by μ·s/σ₀ ≤ 0.3·0.5/50.
        #expect(abs(stats.mean - 0.3) < 4 * stats.meanError + 0.003, "\(kind) under \(processKind): mean \(stats.mean)")
        #expect(abs(stats.std - 0.5) < 4 * stats.stdError, "\(kind) under \(processKind): std \(stats.std)")
    }

    /// Over the discrete schedule with ε-prediction and the VP noise-level input it is CaloDiffusion's EpsilonDenoiser.
    @Test func discreteEpsilonIsTheEpsilonDenoiser() throws {
        let gaussian = GaussianDenoiser(mean: 0.3, std: 0.5)
        let process = try DiscreteVarianceProcess(schedule: DDPMSchedule.cosine())
        let denoiser = ProcessDenoiser(
            process: process, parametrisation: EpsilonParametrisation(), timeInput: .marginalStd,
            network: gaussian.epsilonNetwork)
        let reference = EpsilonDenoiser(network: gaussian.epsilonNetwork)
        let sigma = try Tensor([0.05, 1.3, 40])
        let x = try Tensor([-1.0, 0.4, 25.0], shape: [3, 1])
        let condition = try unconditioned(batch: 3)
        let result = try denoiser(x, sigma: sigma, condition: condition)
        let expected = try reference(x, sigma: sigma, condition: condition)
        #expect(try maxAbsDifference(result, expected) < 1e-12)
    }
}
