import Torch
import TorchNN

/// The hook that keeps an exponential moving average of one part's weights,
/// shadow ← decay·shadow + (1 − decay)·θ after every step (TorchNN's ``EMA``).
public final class EMAHook: TrainingHook {
    public let ema: EMA
    let module: Module
    /// Prefix of the shadow's keys in `last.safetensors` (`ema.` or `ema.<part>.`).
    let checkpointPrefix: String
    /// Prefix of the shadow's keys in best.safetensors (empty, or `<part>.`).
    let weightsPrefix: String

    /// Starts the shadow at the module's current weights.
    public init(module: Module, decay: Double, checkpointPrefix: String = "ema.", weightsPrefix: String = "") throws {
        ema = try EMA(module, decay: decay)
        self.module = module
        self.checkpointPrefix = checkpointPrefix
        self.weightsPrefix = weightsPrefix
    }

    public func afterStep(_ step: Int) throws { try ema.update(from: module) }

    public var checkpointTensors: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: ema.shadow.map { (checkpointPrefix + $0.key, $0.value) })
    }

    public func restore(_ tensors: [String: Tensor]) throws {
        try ema.load(Dictionary(uniqueKeysWithValues: tensors.map { (String($0.key.dropFirst(checkpointPrefix.count)), $0.value) }))
    }

    public var samplingWeights: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: ema.shadow.map { (weightsPrefix + $0.key, $0.value) })
    }
}
