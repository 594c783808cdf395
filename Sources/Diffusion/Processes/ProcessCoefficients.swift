import Torch

/// A process's coefficients at per-sample times, each `[batch]`: what parametrisations, network time inputs and
/// loss weights are computed from. Built by `DiffusionProcess.coefficients(at:dtype:)`.
public struct ProcessCoefficients {
    /// t.
    public var time: Tensor
    /// s(t).
    public var scale: Tensor
    /// σ(t) (variance-exploding level).
    public var sigma: Tensor
    /// ds/dt.
    public var scaleDerivative: Tensor
    /// dσ/dt.
    public var sigmaDerivative: Tensor
    /// s(t)·σ(t), the noise standard deviation of x_t.
    public var marginalStd: Tensor
    /// d(s·σ)/dt.
    public var marginalStdDerivative: Tensor

    /// Collects the coefficients (all `[batch]`, one dtype and device).
    public init(
        time: Tensor, scale: Tensor, sigma: Tensor, scaleDerivative: Tensor, sigmaDerivative: Tensor,
        marginalStd: Tensor, marginalStdDerivative: Tensor
    ) {
        self.time = time
        self.scale = scale
        self.sigma = sigma
        self.scaleDerivative = scaleDerivative
        self.sigmaDerivative = sigmaDerivative
        self.marginalStd = marginalStd
        self.marginalStdDerivative = marginalStdDerivative
    }
}
