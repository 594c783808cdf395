import Torch

/// A diffusion process in the general form of Karras et al. (2022) eq. 4 (§2; EDM `generate.py`
/// `ablation_sampler`): x_t = s(t)·(x₀ + σ(t)·n), n ~ N(0, I), for t in `timeRange`.
///
/// VP (discrete and continuous), VE, sub-VP, cosine log-SNR and rectified flow are all values of it.
/// Samplers never see t or s(t): they integrate x̃ = x/s(t) over the descending σ list of
/// `samplingSigmas(stepCount:)`, and a `ProcessDenoiser` maps σ back to t for the network, so every sampler
/// works for every process without change. σ(t) must be strictly increasing on `timeRange`.
public protocol DiffusionProcess: Sendable {
    /// [t_min, t_max]: where the process is sampled from and trained on.
    var timeRange: ClosedRange<Double> { get }
    /// s(t), the scaling of the clean signal.
    func scale(at t: Double) -> Double
    /// ds/dt.
    func scaleDerivative(at t: Double) -> Double
    /// σ(t), the variance-exploding noise level of x̃ = x_t/s(t) = x₀ + σ(t)·n.
    func sigma(at t: Double) -> Double
    /// dσ/dt.
    func sigmaDerivative(at t: Double) -> Double
    /// t(σ), the inverse of `sigma(at:)`.
    func time(atSigma sigma: Double) -> Double
    /// s(t)·σ(t), the standard deviation of the noise in x_t (finite where σ is not, e.g. rectified flow at t = 1).
    func marginalStd(at t: Double) -> Double
    /// d(s·σ)/dt = s'·σ + s·σ'.
    func marginalStdDerivative(at t: Double) -> Double
}

extension DiffusionProcess {
    /// s(t)·σ(t).
    public func marginalStd(at t: Double) -> Double { scale(at: t) * sigma(at: t) }

    /// s'(t)·σ(t) + s(t)·σ'(t).
    public func marginalStdDerivative(at t: Double) -> Double {
        scaleDerivative(at: t) * sigma(at: t) + scale(at: t) * sigmaDerivative(at: t)
    }

    /// The sampler's noise-level list: σ(t_i) at `stepCount` times uniform in t from t_max down to t_min,
    /// then 0 (`stepCount` + 1 values, strictly descending, the form every `Sampler` accepts).
    ///
    /// Throws `DiffusionError.invalidParameter` for `stepCount` < 1 and `DiffusionError.invalidSigmas`
    /// when the levels are not positive, finite and strictly descending (e.g. σ(t_min) = 0).
    public func samplingSigmas(stepCount: Int) throws -> [Double] {
        guard stepCount >= 1 else {
            throw DiffusionError.invalidParameter(
                name: "stepCount", value: "\(stepCount)", requirement: "sampling needs at least 1 step")
        }
        let (lower, upper) = (timeRange.lowerBound, timeRange.upperBound)
        let times = (0..<stepCount).map { i in
            i == 0 ? upper : i == stepCount - 1 ? lower : upper - Double(i) * (upper - lower) / Double(stepCount - 1)
        }
        let sigmas = times.map { sigma(at: $0) } + [0]
        let descending = zip(sigmas, sigmas.dropFirst()).allSatisfy { $0 > $1 }
        guard descending, sigmas.allSatisfy(\.isFinite) else {
            throw DiffusionError.invalidSigmas(
                reason: "are not finite and strictly descending over the time range \(timeRange)", sigmas: sigmas)
        }
        return sigmas
    }

    /// The per-sample coefficients at times `t` `[batch]` (any dtype, e.g. int64 indices), as `dtype` tensors
    /// on `t`'s device. Evaluated on the host: one small copy of `t` per call.
    public func coefficients(at t: Tensor, dtype: DType) throws -> ProcessCoefficients {
        let times = try t.toArray(Double.self)
        func tensor(_ f: (Double) -> Double) throws -> Tensor {
            try Tensor(times.map(f), shape: t.shape).to(dtype: dtype, device: t.device)
        }
        return ProcessCoefficients(
            time: try tensor { $0 }, scale: try tensor(scale(at:)), sigma: try tensor(sigma(at:)),
            scaleDerivative: try tensor(scaleDerivative(at:)), sigmaDerivative: try tensor(sigmaDerivative(at:)),
            marginalStd: try tensor(marginalStd(at:)), marginalStdDerivative: try tensor(marginalStdDerivative(at:)))
    }

    /// t(σ) for per-sample noise levels `sigma` `[batch]`, in `sigma`'s dtype and device (host-evaluated).
    public func time(atSigma sigma: Tensor) throws -> Tensor {
        let times = try sigma.toArray(Double.self).map { time(atSigma: $0) }
        return try Tensor(times, shape: sigma.shape).to(dtype: sigma.dtype, device: sigma.device)
    }

    /// x_t = s(t)·x₀ + s(t)σ(t)·n (= s·(x₀ + σ·n)) for a clean batch `[batch, …]`, per-sample coefficients and
    /// unit noise shaped like `clean`. Throws `DiffusionError.invalidParameter` on a shape mismatch.
    public func noised(clean: Tensor, coefficients c: ProcessCoefficients, noise: Tensor) throws -> Tensor {
        guard c.time.shape == [clean.dim(0)], noise.shape == clean.shape else {
            throw DiffusionError.invalidParameter(
                name: "t/noise", value: "shapes \(c.time.shape) and \(noise.shape) for a clean batch \(clean.shape)",
                requirement: "pass one time per sample ([batch]) and noise shaped like the clean batch")
        }
        let s = try c.scale.appendingUnitAxes(toRank: clean.ndim)
        let std = try c.marginalStd.appendingUnitAxes(toRank: clean.ndim)
        return try s * clean + std * noise
    }

    /// x_t = s(t)·(x₀ + σ(t)·n) at per-sample times `t` `[batch]`, computed in `clean`'s dtype.
    public func noised(clean: Tensor, t: Tensor, noise: Tensor) throws -> Tensor {
        try noised(clean: clean, coefficients: coefficients(at: t, dtype: clean.dtype), noise: noise)
    }
}
