import Torch

/// D(x̃; σ, c) for a network trained under any `DiffusionProcess` and `Parametrisation`, so any sampler can
/// sample it over `process.samplingSigmas(stepCount:)`.
///
/// For x̃ `[batch, …]` and σ `[batch]`: t = t(σ), the network sees x_t = s(t)·x̃ and the time input of
/// `timeInput`, and the parametrisation turns its output into D (EDM `ablation_sampler`'s change of variables).
public struct ProcessDenoiser: Denoiser {
    /// The process the network was trained under.
    public let process: any DiffusionProcess
    /// What the network's output means.
    public let parametrisation: any Parametrisation
    /// The network's noise-level input.
    public let timeInput: NetworkTimeInput
    /// F(x_t `[batch, …]`, time input `[batch]`, condition) → `[batch, …]`.
    public let network: DiffusionNetwork
    /// The dtype the network runs in (nil: the state's dtype).
    public let networkDType: DType?

    /// Wraps `network`, trained under `process` with outputs meaning `parametrisation`.
    public init(
        process: any DiffusionProcess, parametrisation: any Parametrisation, timeInput: NetworkTimeInput = .time, networkDType: DType? = nil,
        network: @escaping DiffusionNetwork
    ) {
        self.process = process
        self.parametrisation = parametrisation
        self.timeInput = timeInput
        self.network = network
        self.networkDType = networkDType
    }

    /// D(x̃; σ, c) for VE-scaled `x` `[batch, …]` and noise levels `sigma` `[batch]` (host-evaluated t(σ)).
    public func callAsFunction(_ x: Tensor, sigma: Tensor, condition: DiffusionCondition) throws -> Tensor {
        let c = try process.coefficients(at: process.time(atSigma: sigma), dtype: x.dtype)
        let input = try c.perSample(c.scale, like: x) * x
        let output = try evaluate(network, input, noiseLevel: timeInput.value(c), condition: condition, dtype: networkDType)
        return try parametrisation.denoised(output: output, x: x, coefficients: c)
    }
}
