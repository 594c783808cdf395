import Torch
import TorchNN

/// Which optimizer trains a part, with its settings (the learning rate comes from ``TrainingPolicies``).
/// Each case builds the matching TorchNN optimizer, which follows its `torch.optim` namesake.
/// As JSON: `{"adam": {"beta1": 0.9, …}}`; settings left out take their defaults (`{"adamax": {}}`).
public enum OptimizerChoice: Codable, Equatable, Sendable {
    /// Adam; `weightDecay` is L2 added to the gradient (`torch.optim.Adam`).
    case adam(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0)
    /// AdamW: Adam with decoupled weight decay θ ← θ(1 − lr·weightDecay) before the Adam step (`torch.optim.AdamW`).
    case adamW(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 1e-2)
    /// Adamax, the infinity-norm Adam of CaloScore v2 (`torch.optim.Adamax`).
    case adamax(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8)
    /// Rectified Adam (`torch.optim.RAdam`).
    case radam(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8)
    /// Stochastic gradient descent with optional momentum (`torch.optim.SGD`).
    case sgd(momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0)

    /// Today's default: Adam with PyTorch's settings (CaloDiffusion, spec/models.md §A.14).
    public static let standard = OptimizerChoice.adam()

    private enum CodingKeys: String, CodingKey { case adam, adamW, adamax, radam, sgd }
    private enum SettingKeys: String, CodingKey { case beta1, beta2, eps, weightDecay, momentum, nesterov }

    /// Decodes `{"<optimizer>": {settings}}`, taking the default of every setting left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let kind = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath, debugDescription: "name exactly one optimizer of adam, adamW, adamax, radam, sgd"))
        }
        let settings = try container.nestedContainer(keyedBy: SettingKeys.self, forKey: kind)
        func value<T: Decodable>(_ key: SettingKeys, _ fallback: T) throws -> T { try settings.decodeIfPresent(T.self, forKey: key) ?? fallback }
        switch kind {
        case .adam:
            self = .adam(beta1: try value(.beta1, 0.9), beta2: try value(.beta2, 0.999), eps: try value(.eps, 1e-8),
                         weightDecay: try value(.weightDecay, 0))
        case .adamW:
            self = .adamW(beta1: try value(.beta1, 0.9), beta2: try value(.beta2, 0.999), eps: try value(.eps, 1e-8),
                          weightDecay: try value(.weightDecay, 1e-2))
        case .adamax: self = .adamax(beta1: try value(.beta1, 0.9), beta2: try value(.beta2, 0.999), eps: try value(.eps, 1e-8))
        case .radam: self = .radam(beta1: try value(.beta1, 0.9), beta2: try value(.beta2, 0.999), eps: try value(.eps, 1e-8))
        case .sgd: self = .sgd(momentum: try value(.momentum, 0), nesterov: try value(.nesterov, false), weightDecay: try value(.weightDecay, 0))
        }
    }

    /// A fresh optimizer over `parameters` starting at `learningRate`.
    public func makeOptimizer(parameters: [Tensor], learningRate: Double) -> Optimizer {
        switch self {
        case let .adam(beta1, beta2, eps, weightDecay):
            return Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay)
        case let .adamW(beta1, beta2, eps, weightDecay):
            return AdamW(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay)
        case let .adamax(beta1, beta2, eps):
            return Adamax(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps)
        case let .radam(beta1, beta2, eps):
            return RAdam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps)
        case let .sgd(momentum, nesterov, weightDecay):
            return SGD(parameters: parameters, learningRate: learningRate, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
        }
    }
}
