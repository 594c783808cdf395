import Torch
import TorchNN

/// The conditional 3-D U-Net of CaloDiffusion (reference `CondUnet`, spec/models.md §A.7) on
/// `[batch, channels, Z, Φ, R]` tensors, with L = `layerSizes` and levels (L_i → L_{i+1}):
///
/// - `init_conv`: 3×3×3 cylindrical convolution, input channels → L₀.
/// - `time_mlp`, `cond_mlp`: ``ScalarEmbedding`` of the noise level and of the energy input (one value, or the
///   `energyInputs` values of a layer-conditioned configuration), concatenated
///   [time, energy] into the `conditionSize` vector that every conditioned ResNet block receives.
/// - encoder level i: ResBlock(L_i → L_{i+1}), ResBlock(L_{i+1} → L_{i+1}), attention, keep skip, downsample
///   (not at the coarsest level).
/// - bottleneck: ResBlock, attention, ResBlock on the last width.
/// - decoder level j over the reversed levels (L_i, L_{i+1}): concatenate [features, skip],
///   ResBlock(2·L_{i+1} → L_i), ResBlock(L_i → L_i), attention, upsample (not at the finest level).
/// - `final_conv`: an unconditioned ResBlock(L₁ → L₀) and a 1×1×1 convolution L₀ → 1.
final class ConditionalUNet: Module {
    let initConv: CylindricalConvolution
    let timeMLP: ScalarEmbedding
    let conditionMLP: ScalarEmbedding
    let downs: [EncoderLevel]
    let ups: [DecoderLevel]
    let downsAttention: [AttentionBlock]
    let upsAttention: [AttentionBlock]
    let middleBlock1: ResidualBlock
    let middleAttention: AttentionBlock?
    let middleBlock2: ResidualBlock
    let finalConv: Sequential

    let plan: ResolutionPlan

    override var keyOverrides: [String: String] {
        [
            "initConv": "init_conv", "timeMLP": "time_mlp", "conditionMLP": "cond_mlp", "downsAttention": "downs_attn",
            "upsAttention": "ups_attn", "middleBlock1": "mid_block1", "middleAttention": "mid_attn",
            "middleBlock2": "mid_block2", "finalConv": "final_conv",
        ]
    }

    init(config: CaloDiffusionConfig, generator: Generator) throws {
        try config.validate()
        plan = try config.resolutionPlan()
        let sizes = config.layerSizes
        let levels = Array(zip(sizes.dropLast(), sizes.dropFirst()))
        let groups = config.groupNormGroups
        let cylindrical = config.isCylindrical
        let conditionSize = config.conditionSize
        let stride = plan.layerStride

        initConv = try CylindricalConvolution(
            config.inputChannels, sizes[0], kernelSize: [3], padding: 1, isCylindrical: cylindrical, generator: generator)
        timeMLP = try ScalarEmbedding(conditionSize: conditionSize, generator: generator)
        conditionMLP = try ScalarEmbedding(
            conditionSize: conditionSize, inputCount: config.energyInputs, generator: generator)

        var downs: [EncoderLevel] = []
        var downsAttention: [AttentionBlock] = []
        for (index, (inChannels, outChannels)) in levels.enumerated() {
            downs.append(
                try EncoderLevel(
                    inChannels, outChannels, conditionSize: conditionSize, groups: groups, isCylindrical: cylindrical,
                    layerStride: stride, downsamples: index < levels.count - 1, generator: generator))
            if config.hasBlockAttention {
                downsAttention.append(try AttentionBlock(channels: outChannels, isCylindrical: cylindrical, generator: generator))
            }
        }
        let middle = sizes[sizes.count - 1]
        middleBlock1 = try ResidualBlock(
            middle, middle, conditionSize: conditionSize, groups: groups, isCylindrical: cylindrical, generator: generator)
        middleAttention =
            config.hasMiddleAttention
            ? try AttentionBlock(channels: middle, isCylindrical: cylindrical, generator: generator) : nil
        middleBlock2 = try ResidualBlock(
            middle, middle, conditionSize: conditionSize, groups: groups, isCylindrical: cylindrical, generator: generator)

        var ups: [DecoderLevel] = []
        var upsAttention: [AttentionBlock] = []
        for (index, (inChannels, outChannels)) in levels.reversed().enumerated() {
            // Decoder level `index` undoes downsampling step levels − 2 − index (the bookkeeping is popped
            // in reverse order, as in the reference).
            let step = levels.count - 2 - index
            let upsampling: (kernelZ: Int, outputPadding: [Int])? =
                step >= 0 ? (plan.upsamplingKernelZ[step], plan.upsamplingOutputPadding[step]) : nil
            ups.append(
                try DecoderLevel(
                    2 * outChannels, inChannels, conditionSize: conditionSize, groups: groups, isCylindrical: cylindrical,
                    layerStride: stride, upsampling: upsampling, generator: generator
                ))
            if config.hasBlockAttention {
                upsAttention.append(try AttentionBlock(channels: inChannels, isCylindrical: cylindrical, generator: generator))
            }
        }
        finalConv = Sequential([
            try ResidualBlock(
                sizes[1], sizes[0], conditionSize: nil, groups: groups, isCylindrical: cylindrical, generator: generator),
            try CylindricalConvolution(sizes[0], 1, kernelSize: [1], isCylindrical: cylindrical, generator: generator),
        ])
        self.downs = downs
        self.ups = ups
        self.downsAttention = downsAttention
        self.upsAttention = upsAttention
        super.init()
    }

    /// `x` `[B, inputChannels, Z, Φ, R]`, `energy` `[B]` or `[B, energyInputs]`, `noiseLevel` `[B]` → `[B, 1, Z, Φ, R]`.
    func callAsFunction(_ x: Tensor, energy: Tensor, noiseLevel: Tensor) throws -> Tensor {
        var h = try initConv(x)
        let time = try timeMLP(noiseLevel)
        let energyEmbedding = try conditionMLP(energy)
        let condition = try Tensor.cat([time, energyEmbedding], dim: 1)

        var skips: [Tensor] = []
        for (index, level) in downs.enumerated() {
            h = try level.block1(h, condition: condition)
            h = try level.block2(h, condition: condition)
            if !downsAttention.isEmpty { h = try downsAttention[index](h) }
            skips.append(h)
            if let downsample = level.downsample { h = try downsample(h) }
        }

        h = try middleBlock1(h, condition: condition)
        if let middleAttention { h = try middleAttention(h) }
        h = try middleBlock2(h, condition: condition)

        for (index, level) in ups.enumerated() {
            h = try Tensor.cat([h, skips.removeLast()], dim: 1)
            h = try level.block1(h, condition: condition)
            h = try level.block2(h, condition: condition)
            if !upsAttention.isEmpty { h = try upsAttention[index](h) }
            if let upsample = level.upsample { h = try upsample(h) }
        }
        return try finalConv(h)
    }
}
