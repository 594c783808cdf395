import Torch
import TorchNN

/// How a part's gradients are clipped before its optimizer steps. As JSON: `{"globalNorm": {"maxNorm": 1}}`.
public enum GradientClipping: Codable, Equatable, Sendable {
    /// Scale all gradients together so their joint L2 norm is at most `maxNorm` (PyTorch `clip_grad_norm_`).
    case globalNorm(maxNorm: Double)
    /// Scale each gradient alone so its L2 norm is at most `maxNorm` (TensorFlow `clip_by_norm`, Keras
    /// `clipnorm`; CaloScore v2).
    case perTensorNorm(maxNorm: Double)

    /// Clips the gradients of `parameters` in place.
    public func apply(to parameters: [Tensor]) throws {
        switch self {
        case let .globalNorm(maxNorm): try clipGradientNorm(parameters, maxNorm: maxNorm)
        case let .perTensorNorm(maxNorm): try clipGradientNormPerTensor(parameters, maxNorm: maxNorm)
        }
    }

    /// The largest norm allowed.
    public var maxNorm: Double {
        switch self {
        case let .globalNorm(maxNorm), let .perTensorNorm(maxNorm): return maxNorm
        }
    }
}
