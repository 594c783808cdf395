import Foundation

/// A sampler by name with every knob a user can set: what `--sampler heun --churn 40 --rho 7` parses into and
/// what a run writes beside its outputs (Codable; unset knobs are left out of the JSON).
///
/// `steps` and `rho` choose the noise levels (`levels(native:)`) and apply to every sampler; the other knobs
/// (`Option`) belong to the samplers whose `SamplerCatalog` line lists them. `nil` means "the default".
public struct SamplerSettings: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The catalog name: ddpm, ddim, euler, heun, dpmpp-2m, pc, midpoint, rk4 (`SamplerCatalog.names`).
    public var name: String
    /// Sampling steps N ≥ 1; nil keeps the model's own number of levels.
    public var steps: Int?
    /// ρ > 0 of Karras levels between the model's first and last non-zero σ; nil keeps the model's own levels.
    public var rho: Double?
    /// DDIM's stochasticity η ≥ 0 (default 0, deterministic).
    public var eta: Double?
    /// S_churn ≥ 0 of Euler and Heun (default 0, deterministic; see `Churn`).
    public var churn: Double?
    /// S_tmin ≥ 0: no churn below this σ (default 0).
    public var churnMin: Double?
    /// S_tmax > S_tmin: no churn above this σ (default: no bound).
    public var churnMax: Double?
    /// S_noise ≥ 0, the churn noise's scale (default 1).
    public var churnNoise: Double?
    /// The predictor–corrector signal-to-noise ratio r > 0 (default 0.2, CaloScore's).
    public var snr: Double?
    /// Langevin corrector updates per step ≥ 0 (default 1).
    public var correctorSteps: Int?
    /// DDPM's skipped leading levels ≥ 0 (default 0; see `DDPMAncestralSampler.offset`).
    public var offset: Int?

    /// Settings for sampler `name`; every knob left nil takes its default.
    public init(
        _ name: String, steps: Int? = nil, rho: Double? = nil, eta: Double? = nil, churn: Double? = nil,
        churnMin: Double? = nil, churnMax: Double? = nil, churnNoise: Double? = nil, snr: Double? = nil,
        correctorSteps: Int? = nil, offset: Int? = nil
    ) {
        (self.name, self.steps, self.rho, self.eta, self.churn) = (name, steps, rho, eta, churn)
        (self.churnMin, self.churnMax, self.churnNoise) = (churnMin, churnMax, churnNoise)
        (self.snr, self.correctorSteps, self.offset) = (snr, correctorSteps, offset)
    }

    /// The sampler these settings describe.
    ///
    /// Throws `DiffusionError.unknownSampler`, `.inapplicableSamplerOption` for a knob the sampler does not
    /// take ("--eta applies to ddim only; …"), or `.invalidSamplerOption` for a value out of range.
    public func makeSampler() throws -> any Sampler {
        try SamplerCatalog.entry(named: name).make(validated())
    }

    /// The noise levels to sample on, from the model's own descending list `native` (ending in 0).
    ///
    /// With `rho`: Karras levels (`KarrasSchedule`) from native's first to its last non-zero σ, `steps` of them
    /// (default: as many as native has). Without: native itself when `steps` is nil or equals its step count,
    /// else `steps` of its non-zero levels picked evenly by index (first and last kept), then 0.
    /// Throws `DiffusionError.invalidSamplerOption` for steps < 1, or more steps than native has without `rho`.
    public func levels(native: [Double]) throws -> [Double] {
        let settings = try validated()
        let nonZero = native.filter { $0 > 0 }
        guard let first = nonZero.first, let last = nonZero.last, native.last == 0 else {
            throw DiffusionError.invalidSigmas(reason: "hold no positive level or do not end in 0", sigmas: native)
        }
        let stepCount = settings.steps ?? nonZero.count
        if let rho = settings.rho {
            guard stepCount > 1 else { return [first, 0] }
            guard last < first else { throw settings.invalid("--rho", "\(rho)", "the model has one level; leave --rho out") }
            return try KarrasSchedule(sigmaMin: last, sigmaMax: first, rho: rho).sigmas(stepCount: stepCount)
        }
        guard stepCount <= nonZero.count else {
            throw settings.invalid(
                "--steps", "\(stepCount)",
                "the model has \(nonZero.count) levels; give at most that or add --rho for Karras levels")
        }
        guard stepCount > 1 else { return [first, 0] }
        let (span, gaps) = (nonZero.count - 1, stepCount - 1)
        let picked = (0..<stepCount).map { nonZero[($0 * span + gaps / 2) / gaps] }  // round(i·span/gaps)
        return picked + [0]
    }

    /// These settings with every knob the sampler takes set to its value or default, for writing beside outputs.
    /// Throws as `makeSampler()` does.
    public func resolved() throws -> SamplerSettings {
        var settings = try validated()
        for option in try SamplerCatalog.entry(named: name).options { settings.set(option, settings.value(option)) }
        return settings
    }

    /// Pretty-printed JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// `name(option: value, …)` with the knobs that are set, e.g. `heun(steps: 18, rho: 7, churn: 40)`.
    public var description: String {
        let universal = [steps.map { "steps: \($0)" }, rho.map { "rho: \(Self.format($0))" }].compactMap { $0 }
        let knobs = Option.allCases.compactMap { option in given(option).map { "\(option.rawValue): \(Self.format($0))" } }
        return "\(name)(\((universal + knobs).joined(separator: ", ")))"
    }

    private enum CodingKeys: String, CodingKey {
        case name = "sampler", steps, rho, eta, churn, churnMin, churnMax, churnNoise, snr, correctorSteps, offset
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
