import Torch
import TorchNN

/// One decoder level of the U-Net (reference `ups[i]`): two conditioned ResNet blocks on the
/// concatenation of the features and the matching skip, then, except at the finest level, the upsampling
/// transposed convolution with kernel (k_Z, 4, 4), stride (s_Z, 2, 2), padding 1 and the output padding that
/// restores the pre-downsampling shape (see ``ResolutionPlan``). Keys `0.…`, `1.…`, `2.…`.
final class DecoderLevel: Module {
    let block1: ResidualBlock
    let block2: ResidualBlock
    let upsample: CylindricalTransposedConvolution?

    override var keyOverrides: [String: String] { ["block1": "0", "block2": "1", "upsample": "2"] }

    /// - Parameter upsampling: the Z kernel and output padding of the upsampling, nil at the finest level.
    init(
        _ inChannels: Int, _ outChannels: Int, conditionSize: Int, groups: Int, isCylindrical: Bool, layerStride: Int,
        upsampling: (kernelZ: Int, outputPadding: [Int])?, generator: Generator
    ) throws {
        block1 = try ResidualBlock(
            inChannels, outChannels, conditionSize: conditionSize, groups: groups, isCylindrical: isCylindrical,
            generator: generator)
        block2 = try ResidualBlock(
            outChannels, outChannels, conditionSize: conditionSize, groups: groups, isCylindrical: isCylindrical,
            generator: generator)
        upsample = try upsampling.map {
            try CylindricalTransposedConvolution(
                outChannels, outChannels, kernelSize: [$0.kernelZ, 4, 4], stride: [layerStride, 2, 2], padding: 1,
                outputPadding: $0.outputPadding, isCylindrical: isCylindrical, generator: generator)
        }
        super.init()
    }
}
