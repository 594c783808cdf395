import Torch

/// What ``CaloDiffusionCheckpoint/importReference(from:config:geometry:)`` read and how it chose the network.
public struct ReferenceImport {
    /// How the configuration was chosen.
    public enum ConfigurationChoice: String, Sendable, Equatable {
        /// The caller gave it (`--dataset`).
        case given
        /// The one built-in configuration whose keys and shapes equal the file's.
        case preset
        /// Read from the tensor shapes (no built-in configuration fits).
        case inferred
    }

    /// The network with the file's weights loaded (strictly).
    public let network: CaloDiffusionUNet
    /// Its configuration (`network.config`).
    public var config: CaloDiffusionConfig { network.config }
    /// The key layout the file uses.
    public let layout: ReferenceKeyLayout
    /// The entry of a nested checkpoint that held the state dict (`model_state_dict`, `state_dict`, `model`,
    /// `ema`, …, dotted when deeper); nil for a bare state dict.
    public let stateDictKey: String?
    /// `torch.save` or `safetensors`.
    public let fileFormat: String
    /// How ``config`` was chosen.
    public let configurationChoice: ConfigurationChoice
    /// The newest repository's layer-energy network (`LayerDiffusion.layer_model`, a residual MLP `ResNet`;
    /// spec/models.md §A.15) when the file holds one, keys without the `layer_model.` prefix; empty otherwise.
    /// Layer-conditioned configurations (``CaloDiffusionConfig/energyInputs`` > 1) need it to sample.
    public let layerModel: [String: Tensor]
}
