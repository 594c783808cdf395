/// Every sampler by command-line name, one line each: what it is, the knobs it takes, whether it draws
/// fresh noise, and its network evaluations. Adding a sampler is its file, one line here and its test.
public enum SamplerCatalog {
    /// Whether a sampler draws fresh noise.
    public enum Randomness: Equatable, Sendable {
        /// Never: the result is a function of the initial noise.
        case deterministic
        /// Always.
        case stochastic
        /// Only when the option's value is above 0 (DDIM's η, Euler's and Heun's churn).
        case stochasticWhenPositive(SamplerSettings.Option)
    }

    /// One sampler's line.
    public struct Entry: Sendable {
        /// The name `--sampler` takes.
        public let name: String
        /// One sentence for `--help`.
        public let summary: String
        /// The knobs it takes besides `steps` and `rho`, which every sampler takes.
        public let options: [SamplerSettings.Option]
        /// Whether it draws fresh noise.
        public let randomness: Randomness
        /// Network evaluations for N steps, in words ("2N − 1").
        public let evaluationFormula: String
        let countEvaluations: @Sendable (_ stepCount: Int, _ settings: SamplerSettings) -> Int
        let make: @Sendable (SamplerSettings) throws -> any Sampler
    }

    /// The samplers, in `--help` order.
    public static let entries: [Entry] = [
        Entry(
            name: "ddpm", summary: "Ancestral DDPM, CaloDiffusion's sampler (Ho et al. 2020 Alg. 2).", options: [.offset],
            randomness: .stochastic, evaluationFormula: "N − offset", countEvaluations: { $0 - Int($1.value(.offset)) },
            make: { DDPMAncestralSampler(offset: Int($0.value(.offset))) }),
        Entry(
            name: "ddim", summary: "DDIM (Song et al. 2021 eq. 12); η = 0 is deterministic, first order.", options: [.eta],
            randomness: .stochasticWhenPositive(.eta), evaluationFormula: "N", countEvaluations: { n, _ in n },
            make: { DDIMSampler(eta: $0.value(.eta)) }),
        Entry(
            name: "euler", summary: "Euler on the probability-flow ODE with optional churn (EDM Alg. 2); first order.",
            options: [.churn, .churnMin, .churnMax, .churnNoise], randomness: .stochasticWhenPositive(.churn),
            evaluationFormula: "N", countEvaluations: { n, _ in n }, make: { EulerSampler(churn: $0.churnSettings) }),
        Entry(
            name: "heun", summary: "Heun on the probability-flow ODE with optional churn (EDM Alg. 2); second order.",
            options: [.churn, .churnMin, .churnMax, .churnNoise], randomness: .stochasticWhenPositive(.churn),
            evaluationFormula: "2N − 1", countEvaluations: { n, _ in 2 * n - 1 }, make: { HeunSampler(churn: $0.churnSettings) }),
        Entry(
            name: "dpmpp-2m", summary: "DPM-Solver++(2M), multistep in log σ (Lu et al. 2022); second order.", options: [],
            randomness: .deterministic, evaluationFormula: "N", countEvaluations: { n, _ in n },
            make: { _ in DPMSolverPlusPlus2MSampler() }),
        Entry(
            name: "pc", summary: "Predictor–corrector, CaloScore's: Langevin corrector, then Euler–Maruyama on one score.",
            options: [.snr, .correctorSteps], randomness: .stochastic, evaluationFormula: "N·max(corrector-steps, 1)",
            countEvaluations: { n, settings in n * max(Int(settings.value(.correctorSteps)), 1) },
            make: { PredictorCorrectorSampler(snr: $0.value(.snr), correctorSteps: Int($0.value(.correctorSteps))) }),
        Entry(
            name: "midpoint", summary: "The explicit midpoint rule on the probability-flow ODE; second order.", options: [],
            randomness: .deterministic, evaluationFormula: "2N − 1", countEvaluations: { n, _ in 2 * n - 1 },
            make: { _ in RungeKuttaSampler(tableau: .midpoint) }),
        Entry(
            name: "rk4", summary: "Classical fourth-order Runge–Kutta on the probability-flow ODE.", options: [],
            randomness: .deterministic, evaluationFormula: "4N − 3", countEvaluations: { n, _ in 4 * n - 3 },
            make: { _ in RungeKuttaSampler(tableau: .rungeKutta4) }),
    ]

    /// The names, in `--help` order.
    public static var names: [String] { entries.map(\.name) }

    /// The line of sampler `name`; throws `DiffusionError.unknownSampler` listing the known names.
    public static func entry(named name: String) throws -> Entry {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw DiffusionError.unknownSampler(name: name, known: names)
        }
        return entry
    }

    /// The samplers that take `option`.
    public static func names(taking option: SamplerSettings.Option) -> [String] {
        entries.filter { $0.options.contains(option) }.map(\.name)
    }

    /// One help line per sampler: name, summary, knobs and evaluations per run of N steps.
    public static var helpText: String {
        entries.map { entry in
            let knobs = entry.options.isEmpty ? "" : " Options: " + entry.options.map(\.flag).joined(separator: ", ") + "."
            return "\(entry.name): \(entry.summary)\(knobs) Evaluations: \(entry.evaluationFormula)."
        }.joined(separator: "\n")
    }
}

extension SamplerCatalog.Entry {
    /// Whether a run with `settings` draws fresh noise.
    public func isStochastic(_ settings: SamplerSettings) -> Bool {
        switch randomness {
        case .deterministic: false
        case .stochastic: true
        case let .stochasticWhenPositive(option): settings.value(option) > 0
        }
    }

    /// Network (denoiser) evaluations of one run over `stepCount` steps with `settings`; each evaluation
    /// covers the whole batch, so this is also the count per shower.
    public func evaluations(stepCount: Int, settings: SamplerSettings) -> Int {
        countEvaluations(stepCount, settings)
    }
}

extension SamplerSettings {
    /// Whether the sampler draws fresh noise with these settings. Throws as `makeSampler()` does.
    public var isStochastic: Bool {
        get throws { try SamplerCatalog.entry(named: name).isStochastic(validated()) }
    }

    /// Network evaluations (NFE) of one run on `levels` (as returned by `levels(native:)`), per the catalog.
    public func networkEvaluations(levels: [Double]) throws -> Int {
        try SamplerCatalog.entry(named: name).evaluations(stepCount: levels.count - 1, settings: validated())
    }
}
