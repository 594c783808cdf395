import Torch
import TorchNN

/// Convolution → GroupNorm → SiLU (reference `Block`): a 3×3×3 cylindrical convolution with padding 1,
/// so the spatial shape is kept. Keys `proj.…`, `norm.…`.
final class ConvolutionBlock: Module, UnaryLayer {
    let proj: CylindricalConvolution
    let norm: GroupNorm

    init(_ inChannels: Int, _ outChannels: Int, groups: Int, isCylindrical: Bool, generator: Generator) throws {
        proj = try CylindricalConvolution(
            inChannels, outChannels, kernelSize: [3], padding: 1, isCylindrical: isCylindrical, generator: generator)
        norm = try GroupNorm(groups: groups, channels: outChannels)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let h = try proj(x)
        return try norm(h).silu()
    }
}
