import Torch
import TorchNN

/// The conditioned ResNet block of the U-Net (reference `ResnetBlock`, spec/models.md §A.7):
/// h = Block₁(x) + Linear(SiLU(condition)) broadcast over (Z, Φ, R); out = Block₂(h) + residual(x), where the
/// residual is a 1×1×1 convolution when the channel count changes and the identity otherwise. The condition
/// is added after the first convolution, GroupNorm and SiLU. Without `conditionSize` (the output head) the
/// block takes no condition. Keys `mlp.1.…`, `block1.…`, `block2.…`, `res_conv.…`.
final class ResidualBlock: Module, UnaryLayer {
    /// SiLU then Linear(conditionSize → outChannels); nil for the unconditioned output block.
    let mlp: Sequential?
    let block1: ConvolutionBlock
    let block2: ConvolutionBlock
    let residualConvolution: CylindricalConvolution?

    override var keyOverrides: [String: String] { ["residualConvolution": "res_conv"] }

    init(
        _ inChannels: Int, _ outChannels: Int, conditionSize: Int?, groups: Int, isCylindrical: Bool, generator: Generator
    ) throws {
        mlp = try conditionSize.map { Sequential([SiLU(), try Linear($0, outChannels, generator: generator)]) }
        block1 = try ConvolutionBlock(inChannels, outChannels, groups: groups, isCylindrical: isCylindrical, generator: generator)
        block2 = try ConvolutionBlock(
            outChannels, outChannels, groups: groups, isCylindrical: isCylindrical, generator: generator)
        residualConvolution =
            inChannels == outChannels
            ? nil
            : try CylindricalConvolution(
                inChannels, outChannels, kernelSize: [1], isCylindrical: isCylindrical, generator: generator)
        super.init()
    }

    /// `x` `[B, C_in, Z, Φ, R]`, `condition` `[B, conditionSize]` (ignored when the block has no MLP).
    func callAsFunction(_ x: Tensor, condition: Tensor?) throws -> Tensor {
        var h = try block1(x)
        if let mlp, let condition {
            let projected = try mlp(condition)
            h = try h + projected.reshaped([projected.dim(0), projected.dim(1), 1, 1, 1])
        }
        h = try block2(h)
        let residual = try residualConvolution?(x) ?? x
        return try h + residual
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try self(x, condition: nil) }
}
