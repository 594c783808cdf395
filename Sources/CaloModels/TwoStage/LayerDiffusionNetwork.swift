import Torch
import TorchNN

/// The layer-energy network of the newest CaloDiffusion (`LayerDiffusion.layer_model`, the residual MLP
/// `ResNet(dim_in = N + 1, num_layers = 5, cond_size = 1)` of `calodiffusion/models/models.py`; spec/models.md
/// §A.15), with the reference's state-dict keys, so its weights load strictly:
///
///     c = cond_mlp(energy), t = time_mlp(time), cond = [c, t]            (condition first, 128 values)
///     h = in_lay(x);  h = ResDense_k(h, cond) for k = 1 … 4;  out = out_lay(h)
///
/// Inputs as the reference's `CaloDiffusion.denoise` gives them: `x` is c_in·x_σ `[B, N + 1]` (the noisy
/// ``LayerLogitNormVariables``); `time` `[B]` is the noise-level embedding of TIME_EMBED ('log': ½·ln σ in the
/// 2025 dataset 1 and 2 configs, 'sigma': σ/√(1 + σ²)); `energy` `[B, 1]` is c_E = log10(E_inc/EMIN)/log10(EMAX/EMIN).
/// The output is F of the training objective (hybrid_weight: D = c_skip·x_σ + c_out·F).
public final class LayerDiffusionNetwork: Module, LayerEnergyNetwork {
    /// The widths of the network; the defaults are the reference's.
    public struct Config: Sendable, Equatable, Codable {
        /// N, the number of calorimeter layers (the variables are N + 1 wide).
        public var layerCount: Int
        /// Width of the residual blocks (`hidden_dim`, 256).
        public var hiddenWidth: Int
        /// Width of the concatenated condition (`cond_emb_dim`, 128); a multiple of 4.
        public var conditionSize: Int
        /// Number of residual blocks (`num_layers − 1`, 4).
        public var blockCount: Int
        /// Values per condition (`cond_size`: 1, the incident energy; 3 for the reference's HGCal model).
        public var conditionInputs: Int

        public init(layerCount: Int, hiddenWidth: Int = 256, conditionSize: Int = 128, blockCount: Int = 4,
                    conditionInputs: Int = 1) {
            self.layerCount = layerCount
            self.hiddenWidth = hiddenWidth
            self.conditionSize = conditionSize
            self.blockCount = blockCount
            self.conditionInputs = conditionInputs
        }

        /// N + 1, the width of `x` and of the output.
        public var variableCount: Int { layerCount + 1 }

        /// - Throws: ``ModelError/invalidConfig(_:)`` naming the first width that cannot build the network.
        public func validate() throws {
            let problems = [
                layerCount < 1 ? "layerCount must be at least 1, got \(layerCount)" : nil,
                hiddenWidth < 1 ? "hiddenWidth must be at least 1, got \(hiddenWidth)" : nil,
                conditionSize < 4 || conditionSize % 4 != 0
                    ? "conditionSize must be a positive multiple of 4, got \(conditionSize)" : nil,
                blockCount < 0 ? "blockCount must not be negative, got \(blockCount)" : nil,
                conditionInputs < 1 ? "conditionInputs must be at least 1, got \(conditionInputs)" : nil,
            ].compactMap { $0 }
            if let first = problems.first { throw ModelError.invalidConfig("LayerDiffusion network: \(first)") }
        }
    }

    /// The widths.
    public let config: Config
    let timeEmbedding: LayerDiffusionEmbedding
    let conditionEmbedding: LayerDiffusionEmbedding
    let inputLayer: Linear
    let blocks: [LayerDiffusionBlock]
    let outputLayer: Linear

    override public var keyOverrides: [String: String] {
        ["timeEmbedding": "time_mlp", "conditionEmbedding": "cond_mlp", "inputLayer": "in_lay",
         "blocks": "hidden_layers", "outputLayer": "out_lay"]
    }

    /// A network with PyTorch's default initialisation drawn from `generator`.
    /// - Throws: ``ModelError/invalidConfig(_:)`` for widths that cannot build it.
    public init(config: Config, generator: Generator) throws {
        try config.validate()
        self.config = config
        timeEmbedding = try LayerDiffusionEmbedding(
            conditionSize: config.conditionSize, inputCount: 1, firstKey: 1, generator: generator)
        conditionEmbedding = try LayerDiffusionEmbedding(
            conditionSize: config.conditionSize, inputCount: config.conditionInputs, firstKey: 0, generator: generator)
        inputLayer = try Linear(config.variableCount, config.hiddenWidth, generator: generator)
        blocks = try (0..<config.blockCount).map { _ in
            try LayerDiffusionBlock(width: config.hiddenWidth, conditionSize: config.conditionSize, generator: generator)
        }
        outputLayer = try Linear(config.hiddenWidth, config.variableCount, generator: generator)
        super.init()
    }

    /// F(x; time, energy): `x` `[B, N + 1]`, `time` `[B]`, `energy` `[B, conditionInputs]` → `[B, N + 1]`.
    /// Inputs are converted to the weights' dtype (the reference casts the time and condition to float32).
    /// - Throws: ``ModelError/wrongLayerEnergyShape(input:expected:actual:)`` for other shapes.
    public func callAsFunction(_ x: Tensor, time: Tensor, energy: Tensor) throws -> Tensor {
        guard x.ndim == 2, x.shape[1] == config.variableCount else {
            throw ModelError.wrongLayerEnergyShape(input: "x", expected: "[B, \(config.variableCount)]", actual: x.shape)
        }
        let batch = x.shape[0]
        guard time.shape == [batch] else {
            throw ModelError.wrongLayerEnergyShape(input: "time", expected: "[\(batch)]", actual: time.shape)
        }
        guard energy.shape == [batch, config.conditionInputs] else {
            throw ModelError.wrongLayerEnergyShape(
                input: "energy", expected: "[\(batch), \(config.conditionInputs)]", actual: energy.shape)
        }
        let dtype = inputLayer.weight.dtype
        let c = try conditionEmbedding(energy.to(dtype: dtype))
        let t = try timeEmbedding(time.to(dtype: dtype).reshaped([batch, 1]))
        let condition = try Tensor.cat([c, t], dim: 1)
        var h = try inputLayer(x.to(dtype: dtype))
        for block in blocks {
            h = try block(h, condition: condition)
        }
        return try outputLayer(h)
    }
}
