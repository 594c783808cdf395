/// The samplers by name, for command lines and configs.
public enum SamplerKind: String, CaseIterable, Sendable, Codable {
    /// `DDPMAncestralSampler` (CaloDiffusion, spec §A.12).
    case ddpm
    /// `DDIMSampler`.
    case ddim
    /// `EulerSampler` (EDM, first order).
    case euler
    /// `HeunSampler` (EDM, second order).
    case heun
    /// `DPMSolverPlusPlus2MSampler`.
    case dpmpp2m = "dpmpp-2m"

    /// Whether the sampler draws fresh noise (DDIM only when η > 0).
    public var isStochastic: Bool { self == .ddpm }

    /// The sampler of this kind; `offset` applies to DDPM and `eta` to DDIM, the others have no knobs.
    public func makeSampler(offset: Int = 0, eta: Double = 0) -> any Sampler {
        switch self {
        case .ddpm: return DDPMAncestralSampler(offset: offset)
        case .ddim: return DDIMSampler(eta: eta)
        case .euler: return EulerSampler()
        case .heun: return HeunSampler()
        case .dpmpp2m: return DPMSolverPlusPlus2MSampler()
        }
    }
}
