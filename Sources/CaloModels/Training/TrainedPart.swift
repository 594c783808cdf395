import TorchNN

/// One network a ``Trainer`` optimises, with its own optimizer and schedule: the model's
/// ``TrainableShowerModel/module`` or one of its children (networks not listed, such as a frozen
/// distillation teacher, are saved but not trained). The checkpoints hold the whole module under its
/// own keys (`model.<key>` in `last.safetensors`, `<key>` in `best.safetensors`, EMA weights in place of
/// the trained ones). A model with one part (the default of ``TrainableShowerModel/trainedParts(_:)``)
/// writes exactly the layout of before parts existed: `optimizer.…`, `ema.<key>`; with several, the
/// optimizer and EMA keys carry the part's name (`optimizer.<name>.…`, `ema.<name>.<key>`).
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
