import Diffusion
import Foundation
import Testing

@Suite struct SamplerSettingsOptionsTests {
    @Test func flagsAreTheCommandLineSpellings() {
        #expect(SamplerSettings.Option.allCases.map(\.flag) == [
            "--eta", "--churn", "--churn-min", "--churn-max", "--churn-noise", "--snr", "--corrector-steps", "--offset",
        ])
        #expect(SamplerSettings.Option(rawValue: "corrector-steps") == .correctorSteps)
    }

    /// Every knob belongs to some sampler, so none is dead on the command line.
    @Test(arguments: SamplerSettings.Option.allCases)
    func everyOptionHasASampler(option: SamplerSettings.Option) {
        #expect(!SamplerCatalog.names(taking: option).isEmpty)
        #expect(!option.requirement.isEmpty)
    }

    /// `given` reads each knob back; unset knobs are nil; defaults are EDM's, CaloScore's and DDPM's.
    @Test func readsEachKnob() {
        let settings = SamplerSettings(
            "x", eta: 1, churn: 2, churnMin: 3, churnMax: 4, churnNoise: 5, snr: 6, correctorSteps: 7, offset: 8)
        #expect(SamplerSettings.Option.allCases.map { settings.given($0) } == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(SamplerSettings.Option.allCases.allSatisfy { SamplerSettings("x").given($0) == nil })
        #expect(SamplerSettings.Option.allCases.map(\.defaultValue) == [0, 0, 0, .infinity, 1, 0.2, 1, 0])
    }
}
