import Torch
import TorchNN

/// The two networks of a ``LayeredCaloDiffusionModel``, so that one checkpoint holds both: the layer-energy
/// network under the reference `LayerDiffusion` keys `layer_model.…`, and the layer-conditioned U-Net under the
/// keys of CaloDiffusion checkpoints (`model.…` and `NN_embed.…`, the paper layout; ``ReferenceKeyLayout``).
public final class LayeredCaloDiffusionNetworks: Module {
    /// The layer-energy network (`layer_model.…`).
    public let layerModel: LayerDiffusionNetwork
    /// The layer-conditioned U-Net (`model.…`, `NN_embed.…`).
    public let shape: CaloDiffusionUNet

    override public var keyOverrides: [String: String] { ["layerModel": "layer_model", "shape": ""] }

    /// Both networks, as they are (fresh or loaded).
    public init(layerModel: LayerDiffusionNetwork, shape: CaloDiffusionUNet) {
        self.layerModel = layerModel
        self.shape = shape
        super.init()
    }
}
