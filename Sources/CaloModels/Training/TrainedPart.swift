import TorchNN

/// One network a ``Trainer`` optimises, with its own optimizer and schedule. A model with one part
/// (the default of ``TrainableShowerModel/trainedParts(_:)``) checkpoints exactly as before parts
/// existed: `model.<key>`, `optimizer.…`, `ema.<key>`; with several, every key carries the part's name
/// after its group (`model.<name>.<key>`, `optimizer.<name>.…`, `ema.<name>.<key>`) and best.safetensors
/// holds `<name>.<key>`.
public struct TrainedPart {
    /// Names the part in checkpoint keys: lowercase letters, digits and `_`, unique in a model.
    public var name: String
    public var module: Module
    public var policies: TrainingPolicies

    public init(name: String, module: Module, policies: TrainingPolicies) {
        self.name = name
        self.module = module
        self.policies = policies
    }
}
