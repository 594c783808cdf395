import Torch
import TorchNN

/// One encoder level of the U-Net (reference `downs[i]`, an `nn.ModuleList` of ResnetBlock, ResnetBlock,
/// Downsample): two conditioned ResNet blocks, then, except at the coarsest level, the downsampling
/// convolution with kernel (3, 4, 4), stride (s_Z, 2, 2) and padding 1 (see ``ResolutionPlan``).
/// Keys `0.…`, `1.…`, `2.…`.
final class EncoderLevel: Module {
    let block1: ResidualBlock
    let block2: ResidualBlock
    let downsample: CylindricalConvolution?

    override var keyOverrides: [String: String] { ["block1": "0", "block2": "1", "downsample": "2"] }

    init(
        _ inChannels: Int, _ outChannels: Int, conditionSize: Int, groups: Int, isCylindrical: Bool, layerStride: Int,
        downsamples: Bool, generator: Generator
    ) throws {
        block1 = try ResidualBlock(
            inChannels, outChannels, conditionSize: conditionSize, groups: groups, isCylindrical: isCylindrical,
            generator: generator)
        block2 = try ResidualBlock(
            outChannels, outChannels, conditionSize: conditionSize, groups: groups, isCylindrical: isCylindrical,
            generator: generator)
        downsample =
            downsamples
            ? try CylindricalConvolution(
                outChannels, outChannels, kernelSize: [3, 4, 4], stride: [layerStride, 2, 2], padding: 1,
                isCylindrical: isCylindrical, generator: generator)
            : nil
        super.init()
    }
}
