import ArgumentParser
import Diffusion

/// `--sampler` and the knobs of every sampler, shared by `sample` and `bench sample`. Each knob applies to the
/// samplers that take it (the library refuses it for the others, naming both); what is not given is the
/// model's default.
struct SamplingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Sampler (default: the model's own, ddpm for CaloDiffusion): ddpm, ddim, euler, heun, dpmpp-2m, pc (predictor–corrector), midpoint, rk4.", valueName: "name"))
    var sampler: String?

    @Option(help: "Sampling steps (default: the model's configuration). Network evaluations per shower depend on the sampler: `bench sample` reports them.")
    var steps: Int?

    @Option(help: "DDIM/DDPM stochasticity η (0: deterministic DDIM; 1: ancestral).")
    var eta: Double?

    @Option(help: "EDM S_churn for euler/heun: fresh noise added before each step (0: deterministic).")
    var churn: Double?

    @Option(help: "Sample on Karras noise levels with this ρ (EDM: 7) between the model's largest and smallest level, instead of the model's own levels.")
    var rho: Double?

    @Option(help: "Predictor–corrector: the corrector's signal-to-noise ratio r (CaloScore: 0.2).")
    var snr: Double?

    @Option(help: "Predictor–corrector: Langevin corrector steps per step.")
    var correctorSteps: Int?

    func validate() throws {
        if let steps, steps < 2 { throw ValidationError("--steps must be at least 2; got \(steps).") }
        if let eta, !(eta >= 0) { throw ValidationError("--eta must be ≥ 0; got \(eta).") }
        if let churn, !(churn >= 0) { throw ValidationError("--churn must be ≥ 0; got \(churn).") }
        if let rho, !(rho > 0) { throw ValidationError("--rho must be positive (EDM uses 7); got \(rho).") }
        if let snr, !(snr > 0) { throw ValidationError("--snr must be positive (CaloScore uses 0.2); got \(snr).") }
        if let correctorSteps, correctorSteps < 1 { throw ValidationError("--corrector-steps must be at least 1; got \(correctorSteps).") }
    }

    /// The settings to sample with: the model's default sampler and steps, overridden by what was given.
    func settings(modelDefault: SamplerSettings) -> SamplerSettings {
        var settings = sampler.map { SamplerSettings(name: $0) } ?? modelDefault
        settings.steps = steps ?? modelDefault.steps
        if let eta { settings.eta = eta }
        if let churn { settings.churn = churn }
        if let rho { settings.rho = rho }
        if let snr { settings.snr = snr }
        if let correctorSteps { settings.correctorSteps = correctorSteps }
        return settings
    }
}
