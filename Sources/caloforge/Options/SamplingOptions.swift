import ArgumentParser
import Diffusion

/// `--sampler` and the knobs of every sampler, shared by `sample` and `bench sample`. A knob applies only to the
/// samplers that take it (the library refuses it for the others, naming both); what is not given is the
/// model's default.
struct SamplingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Sampler (default: the model's own; ddpm for CaloDiffusion). One of: \(SamplerCatalog.names.joined(separator: ", ")).", valueName: "name"))
    var sampler: String?

    @Option(help: "Sampling steps (default: the model's). For CaloDiffusion, the length of the rebuilt DDPM schedule, whose first levels are skipped (ds2: 2), as in the reference code; `bench sample` reports the network evaluations it costs.")
    var steps: Int?

    @Option(help: "Sample on Karras noise levels with this ρ (EDM: 7) between the model's largest and smallest level, instead of the model's own levels.")
    var rho: Double?

    @Option(help: "ddim: stochasticity η (0: deterministic; 1: DDPM-like).")
    var eta: Double?

    @Option(help: "euler, heun: EDM S_churn, fresh noise added before each step (0: deterministic).")
    var churn: Double?

    @Option(help: "euler, heun: no churn below this σ (S_tmin, default 0).")
    var churnMin: Double?

    @Option(help: "euler, heun: no churn above this σ (S_tmax, default: no bound).")
    var churnMax: Double?

    @Option(help: "euler, heun: scale of the churn noise (S_noise, default 1).")
    var churnNoise: Double?

    @Option(help: "pc: the corrector's signal-to-noise ratio r (default 0.2, CaloScore's).")
    var snr: Double?

    @Option(help: "pc: Langevin corrector updates per step (default 1).")
    var correctorSteps: Int?

    @Option(help: "ddpm: further leading levels to skip (default 0).")
    var offset: Int?

    func validate() throws {
        if let steps, steps < 2 { throw ValidationError("--steps must be at least 2; got \(steps).") }
        if let sampler, !SamplerCatalog.names.contains(sampler) {
            throw ValidationError("--sampler must be one of \(SamplerCatalog.names.joined(separator: ", ")); got '\(sampler)'.")
        }
    }

    /// The settings to sample with: the model's default sampler and steps, overridden by what was given. The
    /// library checks each knob against the sampler (`SamplerSettings.makeSampler()`).
    func settings(modelDefault: SamplerSettings) -> SamplerSettings {
        var settings = sampler.map { SamplerSettings($0) } ?? modelDefault
        settings.steps = steps ?? modelDefault.steps
        settings.rho = rho ?? settings.rho
        settings.eta = eta ?? settings.eta
        settings.churn = churn ?? settings.churn
        settings.churnMin = churnMin ?? settings.churnMin
        settings.churnMax = churnMax ?? settings.churnMax
        settings.churnNoise = churnNoise ?? settings.churnNoise
        settings.snr = snr ?? settings.snr
        settings.correctorSteps = correctorSteps ?? settings.correctorSteps
        settings.offset = offset ?? settings.offset
        return settings
    }
}
