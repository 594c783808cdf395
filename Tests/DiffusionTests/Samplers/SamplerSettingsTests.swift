import Diffusion
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct SamplerSettingsTests {
    /// Settings survive JSON unchanged; unset knobs are left out and the name is written as "sampler".
    @Test func roundTripsThroughJSON() throws {
        let all = SamplerSettings(
            "heun", steps: 18, rho: 7, churn: 40, churnMin: 0.05, churnMax: 50, churnNoise: 1.003)
        for settings in [all, SamplerSettings("ddim", eta: 0.5), SamplerSettings("pc", snr: 0.16, correctorSteps: 2),
                         SamplerSettings("ddpm", offset: 2), SamplerSettings("rk4")] {
            #expect(try JSONDecoder().decode(SamplerSettings.self, from: settings.jsonData()) == settings)
        }
        let text = String(decoding: try SamplerSettings("ddim", eta: 0.5).jsonData(), as: UTF8.self)
        #expect(text == "{\n  \"eta\" : 0.5,\n  \"sampler\" : \"ddim\"\n}")
        let decoded = try JSONDecoder().decode(
            SamplerSettings.self, from: Data(#"{"sampler": "heun", "steps": 18, "rho": 7, "churn": 40}"#.utf8))
        #expect(decoded == SamplerSettings("heun", steps: 18, rho: 7, churn: 40))
        #expect(decoded.description == "heun(steps: 18, rho: 7, churn: 40)")
    }

    /// Each name makes its sampler, carrying the knobs given (defaults elsewhere).
    @Test func makesTheNamedSamplerWithItsKnobs() throws {
        #expect((try SamplerSettings("ddpm", offset: 2).makeSampler() as? DDPMAncestralSampler)?.offset == 2)
        #expect((try SamplerSettings("ddim", eta: 0.5).makeSampler() as? DDIMSampler)?.eta == 0.5)
        #expect((try SamplerSettings("ddim").makeSampler() as? DDIMSampler)?.eta == 0)
        #expect((try SamplerSettings("euler").makeSampler() as? EulerSampler)?.churn == Churn.none)
        let heun = try SamplerSettings("heun", churn: 40, churnMin: 0.05, churnMax: 50, churnNoise: 1.003).makeSampler()
        #expect((heun as? HeunSampler)?.churn == Churn(amount: 40, sigmaMin: 0.05, sigmaMax: 50, noiseScale: 1.003))
        #expect(try SamplerSettings("dpmpp-2m").makeSampler() is DPMSolverPlusPlus2MSampler)
        let pc = try SamplerSettings("pc", snr: 0.16, correctorSteps: 2).makeSampler() as? PredictorCorrectorSampler
        #expect(pc?.snr == 0.16 && pc?.correctorSteps == 2)
        #expect((try SamplerSettings("pc").makeSampler() as? PredictorCorrectorSampler)?.snr == 0.2)
        #expect((try SamplerSettings("midpoint").makeSampler() as? RungeKuttaSampler)?.tableau == .midpoint)
        #expect((try SamplerSettings("rk4").makeSampler() as? RungeKuttaSampler)?.tableau == .rungeKutta4)
    }

    /// A knob the sampler does not take is refused, naming the samplers that take it.
    @Test func refusesKnobsTheSamplerIgnores() throws {
        let expected = DiffusionError.inapplicableSamplerOption(option: "--eta", sampler: "euler", appliesTo: ["ddim"])
        #expect(throws: expected) {
            try SamplerSettings("euler", eta: 0.5).makeSampler()
        }
        do {
            _ = try SamplerSettings("ddim", churn: 10).makeSampler()
            Issue.record("expected an error")
        } catch let error as DiffusionError {
            #expect(error.description
                == "--churn applies to euler and heun only; remove it or choose one of those samplers instead of ddim")
        }
        let ignored = [SamplerSettings("rk4", snr: 0.2), SamplerSettings("pc", offset: 1), SamplerSettings("ddpm", churnNoise: 1)]
        for settings in ignored {
            #expect(throws: DiffusionError.self, "\(settings)") { try settings.makeSampler() }
        }
        #expect(throws: DiffusionError.unknownSampler(name: "Heun", known: SamplerCatalog.names)) {
            try SamplerSettings("Heun").makeSampler()
        }
    }

    /// Values out of range are refused, naming the option, the sampler and the rule.
    @Test(arguments: [
        (SamplerSettings("ddim", eta: -0.1), "--eta"), (SamplerSettings("ddim", eta: .nan), "--eta"),
        (SamplerSettings("euler", churn: -1), "--churn"), (SamplerSettings("heun", churnMin: 2, churnMax: 1), "--churn-max"),
        (SamplerSettings("heun", churnNoise: -1), "--churn-noise"), (SamplerSettings("pc", snr: 0), "--snr"),
        (SamplerSettings("pc", correctorSteps: -1), "--corrector-steps"), (SamplerSettings("ddpm", offset: -1), "--offset"),
        (SamplerSettings("heun", steps: 0), "--steps"), (SamplerSettings("rk4", rho: 0), "--rho"),
    ])
    func refusesValuesOutOfRange(settings: SamplerSettings, option: String) throws {
        do {
            _ = try settings.makeSampler()
            Issue.record("expected an error for \(settings)")
        } catch let DiffusionError.invalidSamplerOption(name, sampler, _, requirement) {
            #expect(name == option && sampler == settings.name && !requirement.isEmpty)
        }
    }

    @Test func describesAnOutOfRangeValue() {
        let error = DiffusionError.invalidSamplerOption(
            option: "--eta", sampler: "ddim", value: "-0.1", requirement: "must be finite and ≥ 0")
        #expect(error.description == "--eta = -0.1 is invalid for sampler ddim: must be finite and ≥ 0")
    }

    /// With rho: Karras levels from the native list's first to its last non-zero σ, `steps` of them or as many
    /// as native has.
    @Test func rhoGivesKarrasLevelsBetweenTheNativeEnds() throws {
        let native = try DDPMSchedule.cosine(stepCount: 50).samplingSigmas
        let levels = try SamplerSettings("heun", steps: 10, rho: 7).levels(native: native)
        #expect(levels.count == 11 && levels.first == native[0] && levels[9] == native[49] && levels.last == 0)
        #expect(levels == (try KarrasSchedule(sigmaMin: native[49], sigmaMax: native[0], rho: 7).sigmas(stepCount: 10)))
        #expect(try SamplerSettings("euler", rho: 3).levels(native: native).count == 51)
        #expect(try SamplerSettings("euler", steps: 1, rho: 3).levels(native: native) == [native[0], 0])
    }

    /// Without rho: the native list itself, or `steps` of its levels picked evenly, ends kept.
    @Test func stepsPickNativeLevels() throws {
        let native = try DDPMSchedule.cosine(stepCount: 40).samplingSigmas
        #expect(try SamplerSettings("ddpm").levels(native: native) == native)
        #expect(try SamplerSettings("ddpm", steps: 40).levels(native: native) == native)
        let picked = try SamplerSettings("ddim", steps: 8).levels(native: native)
        #expect(picked.count == 9 && picked.first == native[0] && picked[7] == native[39] && picked.last == 0)
        #expect(picked.dropLast().allSatisfy { native.contains($0) })
        #expect(zip(picked, picked.dropFirst()).allSatisfy { $0 > $1 })
        // 40 levels into 8: every ≈ 39/7-th, rounded.
        #expect(picked.dropLast() == [0, 6, 11, 17, 22, 28, 33, 39].map { native[$0] })
        #expect(try SamplerSettings("ddim", steps: 1).levels(native: native) == [native[0], 0])
    }

    @Test func refusesLevelsItCannotMake() throws {
        let native = try DDPMSchedule.cosine(stepCount: 10).samplingSigmas
        do {
            _ = try SamplerSettings("ddim", steps: 20).levels(native: native)
            Issue.record("expected an error")
        } catch let error as DiffusionError {
            #expect(error.description == "--steps = 20 is invalid for sampler ddim: the model has 10 levels; "
                + "give at most that or add --rho for Karras levels")
        }
        #expect(throws: DiffusionError.self) { try SamplerSettings("ddim").levels(native: [1, 0.5]) }
        #expect(throws: DiffusionError.self) { try SamplerSettings("ddim").levels(native: [0]) }
        #expect(throws: DiffusionError.self) { try SamplerSettings("ddim", steps: 3, rho: 7).levels(native: [1, 0]) }
        #expect(throws: DiffusionError.self) { try SamplerSettings("ddim", eta: -1).levels(native: native) }
    }

    /// `resolved()` writes out every knob the sampler takes, defaults included (an unbounded S_tmax stays unset).
    @Test func resolvesTheDefaults() throws {
        #expect(try SamplerSettings("heun", churn: 40).resolved()
            == SamplerSettings("heun", churn: 40, churnMin: 0, churnNoise: 1))
        #expect(
            try SamplerSettings("pc", steps: 100).resolved() == SamplerSettings("pc", steps: 100, snr: 0.2, correctorSteps: 1))
        #expect(try SamplerSettings("ddpm").resolved() == SamplerSettings("ddpm", offset: 0))
        #expect(try SamplerSettings("rk4", rho: 7).resolved() == SamplerSettings("rk4", rho: 7))
        #expect(try SamplerSettings("pc").resolved().description == "pc(snr: 0.2, corrector-steps: 1)")
    }

    @Test func reportsRandomnessAndEvaluations() throws {
        let levels = try KarrasSchedule().sigmas(stepCount: 18)
        #expect(try SamplerSettings("heun").networkEvaluations(levels: levels) == 35)
        #expect(try SamplerSettings("pc", correctorSteps: 2).networkEvaluations(levels: levels) == 36)
        #expect(try SamplerSettings("ddpm", offset: 2).networkEvaluations(levels: levels) == 16)
        #expect(try !SamplerSettings("heun").isStochastic && SamplerSettings("heun", churn: 1).isStochastic)
        #expect(try !SamplerSettings("ddim").isStochastic && SamplerSettings("ddim", eta: 0.1).isStochastic)
        #expect(try SamplerSettings("pc").isStochastic && SamplerSettings("ddpm").isStochastic)
        #expect(try !SamplerSettings("rk4").isStochastic)
    }
}
