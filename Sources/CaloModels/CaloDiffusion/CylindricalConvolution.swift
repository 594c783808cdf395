import Torch
import TorchNN

/// A 3-D convolution over `[batch, channels, Z, Φ, R]` whose angular axis Φ (dim −2) wraps around
/// (reference `CylindricalConv`, spec/models.md §A.8): Φ is padded circularly by `padding` on both sides,
/// then an ordinary `Conv3d` runs with zero padding `padding` along Z and R only.
///
/// Non-cylindrical (``isCylindrical`` false) it is a plain `Conv3d` with zero padding on all three axes, and
/// its parameters sit directly under the module's key (`init_conv.weight` instead of `init_conv.conv.weight`),
/// as in the reference, which then uses `nn.Conv3d` itself.
final class CylindricalConvolution: Module, UnaryLayer {
    let conv: Conv3d
    /// Circular padding of the angular axis on each side (0 when not cylindrical).
    let angularPadding: Int
    let isCylindrical: Bool

    /// - Parameters:
    ///   - kernelSize: `[k_Z, k_Φ, k_R]` (one entry: the same on every axis).
    ///   - padding: padding on every axis: circular along Φ, zeros along Z and R.
    init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1], padding: Int = 0, bias: Bool = true,
        isCylindrical: Bool = true, generator: Generator
    ) throws {
        self.isCylindrical = isCylindrical
        angularPadding = isCylindrical ? padding : 0
        conv = try Conv3d(
            inChannels, outChannels, kernelSize: kernelSize, stride: stride,
            padding: isCylindrical ? [padding, 0, padding] : [padding], bias: bias, generator: generator)
        super.init()
    }

    override var keyOverrides: [String: String] { isCylindrical ? [:] : ["conv": ""] }

    /// `[B, C_in, Z, Φ, R]` → `[B, C_out, Z', Φ', R']`.
    func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard angularPadding > 0 else { return try conv(x) }
        let p = angularPadding
        // F.pad order: (R before, R after, Φ before, Φ after, Z before, Z after).
        let wrapped = try x.padded([0, 0, p, p, 0, 0], mode: .circular)
        return try conv(wrapped)
    }
}
