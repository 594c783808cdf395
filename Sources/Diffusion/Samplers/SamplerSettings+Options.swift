extension SamplerSettings {
    /// A knob that only some samplers take, named as its command-line option (`--eta`, `--churn-min`, …).
    public enum Option: String, CaseIterable, Sendable {
        /// `eta`: DDIM's stochasticity η.
        case eta
        /// `churn`: S_churn of Euler and Heun.
        case churn
        /// `churnMin`: S_tmin.
        case churnMin = "churn-min"
        /// `churnMax`: S_tmax.
        case churnMax = "churn-max"
        /// `churnNoise`: S_noise.
        case churnNoise = "churn-noise"
        /// `snr`: the predictor–corrector signal-to-noise ratio r.
        case snr
        /// `correctorSteps`: Langevin updates per predictor–corrector step.
        case correctorSteps = "corrector-steps"
        /// `offset`: DDPM's skipped leading levels.
        case offset

        /// The command-line spelling, `--` + the raw value.
        public var flag: String { "--" + rawValue }

        /// The value a sampler uses when the option is not given (S_tmax: ∞, no bound).
        public var defaultValue: Double {
            switch self {
            case .eta, .churn, .churnMin, .offset: 0
            case .churnMax: .infinity
            case .churnNoise, .correctorSteps: 1
            case .snr: 0.2
            }
        }

        /// The valid range, in words.
        public var requirement: String {
            switch self {
            case .eta, .churn, .churnMin, .churnNoise: "must be finite and ≥ 0"
            case .churnMax: "must be finite and above --churn-min"
            case .snr: "must be finite and > 0 (use --corrector-steps 0 to turn the corrector off)"
            case .correctorSteps, .offset: "must be ≥ 0"
            }
        }
    }

    /// The value given for `option`, nil when unset (Int knobs as Double).
    public func given(_ option: Option) -> Double? {
        switch option {
        case .eta: eta
        case .churn: churn
        case .churnMin: churnMin
        case .churnMax: churnMax
        case .churnNoise: churnNoise
        case .snr: snr
        case .correctorSteps: correctorSteps.map(Double.init)
        case .offset: offset.map(Double.init)
        }
    }

    /// The value a sampler uses: the given one or the default.
    func value(_ option: Option) -> Double { given(option) ?? option.defaultValue }

    /// Sets `option` to `value`; an infinite S_tmax is stored as nil (JSON has no ∞).
    mutating func set(_ option: Option, _ value: Double) {
        switch option {
        case .eta: eta = value
        case .churn: churn = value
        case .churnMin: churnMin = value
        case .churnMax: churnMax = value.isFinite ? value : nil
        case .churnNoise: churnNoise = value
        case .snr: snr = value
        case .correctorSteps: correctorSteps = Int(value)
        case .offset: offset = Int(value)
        }
    }

    /// The churn of Euler and Heun.
    var churnSettings: Churn {
        Churn(amount: value(.churn), sigmaMin: value(.churnMin), sigmaMax: value(.churnMax), noiseScale: value(.churnNoise))
    }

    /// Self, after checking the name, that every given knob is taken by the sampler, and every range.
    func validated() throws -> SamplerSettings {
        let entry = try SamplerCatalog.entry(named: name)
        for option in Option.allCases where given(option) != nil && !entry.options.contains(option) {
            throw DiffusionError.inapplicableSamplerOption(
                option: option.flag, sampler: name, appliesTo: SamplerCatalog.names(taking: option))
        }
        if let steps, steps < 1 { throw invalid("--steps", "\(steps)", "sampling needs at least 1 step") }
        if let rho, !(rho > 0 && rho.isFinite) { throw invalid("--rho", "\(rho)", "must be finite and > 0") }
        for option in Option.allCases {
            guard let value = given(option) else { continue }
            let isValid = switch option {
            case .churnMax: value.isFinite && value > self.value(.churnMin)
            case .snr: value.isFinite && value > 0
            default: value.isFinite && value >= 0
            }
            guard isValid else { throw invalid(option.flag, Self.format(value), option.requirement) }
        }
        return self
    }

    /// The error for `option` = `value` violating `requirement` on this sampler.
    func invalid(_ option: String, _ value: String, _ requirement: String) -> DiffusionError {
        .invalidSamplerOption(option: option, sampler: name, value: value, requirement: requirement)
    }
}
