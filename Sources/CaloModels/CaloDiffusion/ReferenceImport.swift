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
}
