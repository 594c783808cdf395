import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct SamplerCatalogTests {
    @Test func namesTheSamplersForTheCommandLine() throws {
        #expect(SamplerCatalog.names == ["ddpm", "ddim", "euler", "heun", "dpmpp-2m", "pc", "midpoint", "rk4"])
        #expect(SamplerCatalog.names(taking: .churn) == ["euler", "heun"])
        #expect(SamplerCatalog.names(taking: .eta) == ["ddim"])
        #expect(throws: DiffusionError.unknownSampler(name: "lms", known: SamplerCatalog.names)) {
            try SamplerCatalog.entry(named: "lms")
        }
        #expect(DiffusionError.unknownSampler(name: "lms", known: ["ddpm", "ddim"]).description
            == "unknown sampler 'lms'; choose one of ddpm, ddim")
    }

    /// One help line per sampler, listing its options and evaluations.
    @Test func helpTextHasOneLinePerSampler() {
        let lines = SamplerCatalog.helpText.split(separator: "\n")
        #expect(lines.count == SamplerCatalog.entries.count)
        #expect(lines[1].hasPrefix("ddim: ") && lines[1].contains("Options: --eta.") && lines[1].hasSuffix("Evaluations: N."))
        #expect(lines[3].contains("--churn, --churn-min, --churn-max, --churn-noise") && lines[3].hasSuffix("2N − 1."))
    }

    /// The settings each sampler is checked with: its knobs set where they change the evaluation count.
    static let cases: [SamplerSettings] = [
        SamplerSettings("ddpm"), SamplerSettings("ddpm", offset: 2), SamplerSettings("ddim", eta: 0.5),
        SamplerSettings("euler", churn: 5), SamplerSettings("heun", churn: 5), SamplerSettings("dpmpp-2m"),
        SamplerSettings("pc"), SamplerSettings("pc", correctorSteps: 0), SamplerSettings("pc", correctorSteps: 3),
        SamplerSettings("midpoint"), SamplerSettings("rk4"),
    ]

    /// NFE: what `CountingDenoiser` measures equals the catalog formula, for several step counts.
    @Test(arguments: cases)
    func measuredEvaluationsMatchTheFormula(settings: SamplerSettings) throws {
        let sampler = try settings.makeSampler()
        for stepCount in [3, 5, 13] {
            let sigmas = try KarrasSchedule(sigmaMin: 0.01, sigmaMax: 10).sigmas(stepCount: stepCount)
            let counting = CountingDenoiser(GaussianDenoiser(mean: 0.5, std: 1))
            _ = try sampler.sample(
                counting, noise: Tensor.randn([4, 3], dtype: .float64, generator: Generator(seed: 1)), sigmas: sigmas,
                condition: unconditioned(batch: 4), generator: Generator(seed: 2))
            #expect(counting.evaluations == (try settings.networkEvaluations(levels: sigmas)), "\(settings), N = \(stepCount)")
        }
    }

    /// Stochastic samplers draw from the generator (two seeds differ); the others ignore it.
    @Test(arguments: cases + [SamplerSettings("ddim"), SamplerSettings("heun")])
    func stochasticSamplersUseTheGenerator(settings: SamplerSettings) throws {
        let sampler = try settings.makeSampler()
        let noise = try Tensor.randn([4, 3], dtype: .float64, generator: Generator(seed: 1))
        let sigmas = try KarrasSchedule(sigmaMin: 0.01, sigmaMax: 10).sigmas(stepCount: 6)
        let (a, b) = try [3, 4].map { seed in
            try sampler.sample(
                GaussianDenoiser(mean: 0.5, std: 1), noise: noise, sigmas: sigmas, condition: unconditioned(batch: 4),
                generator: Generator(seed: UInt64(seed)))
        }.pair()
        #expect(try (maxAbsDifference(a, b) > 0) == settings.isStochastic, "\(settings)")
    }

    /// Every deterministic sampler converges to the exact Gaussian endpoint (STYLE §9) at its order: the
    /// least-squares slope of log error against log steps over 16…128 Karras steps (σ_min = 10⁻⁵, so the last
    /// Euler step's error stays below) lies within ±0.3 of it. Midpoint shows 3 on Gaussian data (see
    /// `RungeKuttaSamplerTests`); DDIM (η = 0) is Euler in x/√ᾱ, so first order. Measured slopes: euler 0.98,
    /// heun 2.12, dpmpp-2m 2.22, midpoint 3.05, rk4 4.09, ddim 0.98 (its errors equal Euler's: with η = 0 its
    /// update is x′ = (σ′/σ)·x + (1 − σ′/σ)·D in VE terms, which is Euler's step).
    @Test(arguments: [("euler", 1.0), ("heun", 2), ("dpmpp-2m", 2), ("midpoint", 3), ("rk4", 4), ("ddim", 1)])
    func deterministicSamplersConvergeAtTheirOrder(name: String, order: Double) throws {
        let gaussian = GaussianDenoiser(mean: 1.0, std: 0.5)
        let stepCounts = [16, 32, 64, 128]
        let errors = try endpointErrors(
            SamplerSettings(name).makeSampler(), denoiser: gaussian, gaussian: gaussian, stepCounts: stepCounts,
            startScale: { name == "ddim" ? (1 + $0 * $0).squareRoot() : $0 },
            sigmas: { try KarrasSchedule(sigmaMin: 1e-5).sigmas(stepCount: $0) })
        let fitted = fittedOrder(stepCounts: stepCounts, errors: errors)
        #expect(abs(fitted - order) < 0.3, "\(name): fitted order \(fitted), errors \(errors)")
    }
}

extension Array {
    /// The first two elements (callers pass exactly two).
    fileprivate func pair() -> (Element, Element) { (self[0], self[1]) }
}
