import Torch

/// How a process's time becomes the network's noise-level input `[batch]`.
public enum NetworkTimeInput: Sendable, Equatable {
    /// t itself (CaloScore, CaloScore v2, flow matching).
    case time
    /// factor·t (e.g. 1000·t for embeddings built for integer DDPM steps).
    case scaledTime(Double)
    /// s·σ, the noise std of x_t (√(1 − ᾱ) for VP: CaloDiffusion's 'sigma' embedding, spec §A.6).
    case marginalStd
    /// ln(σ)/4 (EDM Table 1).
    case quarterLogSigma

    /// The network input for per-sample coefficients `[batch]`.
    public func value(_ c: ProcessCoefficients) throws -> Tensor {
        switch self {
        case .time: return c.time
        case let .scaledTime(factor): return try c.time * factor
        case .marginalStd: return c.marginalStd
        case .quarterLogSigma: return try log(c.sigma) / 4
        }
    }
}
