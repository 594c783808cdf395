import Torch
import TorchNN

/// The upsampling transposed 3-D convolution over `[batch, channels, Z, Φ, R]` with a wrapping angular axis
/// (reference `CylindricalConvTrans`, spec/models.md §A.8): Φ is padded circularly by `padding` on each side,
/// then `ConvTranspose3d` runs with padding `(padding, k_Φ − 1, padding)`. Along Φ the output size,
/// (Φ + 2p − 1)·s + k_Φ − 2(k_Φ − 1) + outputPadding, equals that of a plain transposed convolution with
/// padding p for the reference's p = 1, s = 2, k_Φ = 4, while the border outputs see the wrapped neighbours.
///
/// Non-cylindrical it is a plain `ConvTranspose3d` with padding `padding` on every axis, keyed directly
/// under the module (as the reference's `nn.ConvTranspose3d`).
final class CylindricalTransposedConvolution: Module, UnaryLayer {
    let convTrans: ConvTranspose3d
    let angularPadding: Int
    let isCylindrical: Bool

    init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int], padding: Int = 1, outputPadding: [Int],
        isCylindrical: Bool = true, generator: Generator
    ) throws {
        guard kernelSize.count == 3 else {
            throw TorchError.invalidArgument("CylindricalTransposedConvolution: kernelSize needs 3 entries, got \(kernelSize)")
        }
        self.isCylindrical = isCylindrical
        angularPadding = isCylindrical ? padding : 0
        convTrans = try ConvTranspose3d(
            inChannels, outChannels, kernelSize: kernelSize, stride: stride,
            padding: isCylindrical ? [padding, kernelSize[1] - 1, padding] : [padding], outputPadding: outputPadding,
            generator: generator)
        super.init()
    }

    override var keyOverrides: [String: String] { isCylindrical ? [:] : ["convTrans": ""] }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard angularPadding > 0 else { return try convTrans(x) }
        let p = angularPadding
        return try convTrans(try x.padded([0, 0, p, p, 0, 0], mode: .circular))
    }
}
