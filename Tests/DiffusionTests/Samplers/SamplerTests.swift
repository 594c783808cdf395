import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

/// Properties every sampler has, run over every `SamplerCatalog` name with default settings.
@Suite struct SamplerTests {
    static let names = SamplerCatalog.names

    static func sampler(named name: String) throws -> any Sampler {
        try SamplerSettings(name).makeSampler()
    }

    @Test func settingsBuildTheNamedSamplerWithItsKnobs() throws {
        #expect(try SamplerSettings("ddpm", offset: 2).makeSampler() is DDPMAncestralSampler)
        #expect((try SamplerSettings("ddpm", offset: 2).makeSampler() as? DDPMAncestralSampler)?.offset == 2)
        #expect((try SamplerSettings("ddim", eta: 0.5).makeSampler() as? DDIMSampler)?.eta == 0.5)
        #expect(try SamplerSettings("euler").makeSampler() is EulerSampler)
        #expect(try SamplerSettings("heun").makeSampler() is HeunSampler)
    }

    @Test(arguments: names)
    func reportsEveryStep(name: String) throws {
        let sampler = try Self.sampler(named: name)
        let sigmas = try KarrasSchedule(sigmaMin: 0.01, sigmaMax: 10).sigmas(stepCount: 7)
        var steps: [SamplerStep] = []
        let result = try sampler.sample(
            GaussianDenoiser(mean: 0, std: 1), noise: Tensor.randn([3, 2, 5], dtype: .float64, generator: Generator(seed: 1)),
            sigmas: sigmas, condition: unconditioned(batch: 3), generator: Generator(seed: 2)
        ) { steps.append($0) }
        #expect(steps.map(\.index) == Array(0..<7))
        #expect(steps.allSatisfy { $0.count == 7 })
        #expect(steps.map(\.sigma) == Array(sigmas.dropLast()))
        #expect(steps.map(\.nextSigma) == Array(sigmas.dropFirst()))
        #expect(steps.allSatisfy { $0.x.shape == [3, 2, 5] && $0.denoised.shape == [3, 2, 5] })
        #expect(try maxAbsDifference(steps.last!.x, result) == 0)
    }

    @Test(arguments: names)
    func keepsTheNoiseDTypeAndShape(name: String) throws {
        let sampler = try Self.sampler(named: name)
        let noise = try Tensor.randn([4, 3, 2], generator: Generator(seed: 1))
        let result = try sampler.sample(
            EpsilonDenoiser(network: GaussianDenoiser(mean: 0.5, std: 0.5).epsilonNetwork), noise: noise,
            sigmas: DDPMSchedule.cosine(stepCount: 20).samplingSigmas, condition: unconditioned(batch: 4, dtype: .float32),
            generator: Generator(seed: 2))
        #expect(result.dtype == .float32 && result.shape == [4, 3, 2])
        #expect(try result.isFinite().all().item() == 1)
    }

    @Test(arguments: names)
    func rejectsMalformedNoiseLevels(name: String) throws {
        let sampler = try Self.sampler(named: name)
        let malformed: [[Double]] = [[], [1], [2, 1], [1, 2, 0], [2, 2, 0], [.infinity, 1, 0], [1, 0, 0]]
        for sigmas in malformed {
            #expect(throws: DiffusionError.self, "\(sigmas)") {
                try sampler.sample(
                    GaussianDenoiser(mean: 0, std: 1), noise: Tensor.zeros([2], dtype: .float64), sigmas: sigmas,
                    condition: unconditioned(batch: 2), generator: Generator(seed: 0))
            }
        }
        do {
            _ = try sampler.sample(
                GaussianDenoiser(mean: 0, std: 1), noise: Tensor.zeros([2], dtype: .float64), sigmas: [3, 2, 1],
                condition: unconditioned(batch: 2), generator: Generator(seed: 0))
            Issue.record("expected an error")
        } catch let error as DiffusionError {
            #expect(error.description.contains("do not end in 0"))
        }
    }
}
