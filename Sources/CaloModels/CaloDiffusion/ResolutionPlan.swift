/// The spatial shapes of the U-Net levels and the bookkeeping that lets each upsampling restore the
/// shape from before the matching downsampling exactly (spec/models.md §A.7).
///
/// Downsampling is a convolution with kernel (3, 4, 4), stride (s, 2, 2) and padding 1 (circular along Φ),
/// s = 2 when the layer axis is compressed: Z' = ⌈Z/2⌉ (s = 2) or Z, Φ' = ⌊Φ/2⌋, R' = ⌊R/2⌋.
/// Upsampling is a transposed convolution with kernel (k_Z, 4, 4), the same strides and padding 1, and output
/// padding (0, Φ mod 2, R mod 2), where k_Z = 4 when Z was even and 3 when odd (Z, Φ, R from before the
/// downsampling). For example ds1 photons: 5×10×30 → 3×5×15 → 2×2×7, and back.
public struct ResolutionPlan: Equatable, Sendable {
    /// `[Z, Φ, R]` of every level, finest first.
    public let levelShapes: [[Int]]
    /// Per downsampling step i (level i → i + 1): the Z kernel size of the matching upsampling.
    public let upsamplingKernelZ: [Int]
    /// Per downsampling step i: the output padding `[0, Φ_i mod 2, R_i mod 2]` of the matching upsampling.
    public let upsamplingOutputPadding: [[Int]]
    /// Stride along Z of both resamplings (2 when the layer axis is compressed, else 1).
    public let layerStride: Int

    /// Plans `levels` resolution levels starting from `gridShape` `[Z, Φ, R]`; throws
    /// ``ModelError/invalidNetworkConfig(name:reason:)`` when a level becomes empty or an upsampling
    /// would not restore its level's shape.
    public init(gridShape: [Int], levels: Int, compressesLayers: Bool, configuration: String = "custom") throws {
        func fail(_ reason: String) -> ModelError { .invalidNetworkConfig(name: configuration, reason: reason) }
        guard gridShape.count == 3, gridShape.allSatisfy({ $0 > 0 }), levels >= 1 else {
            throw fail("a U-Net needs a positive [Z, Φ, R] grid and at least one level; got \(gridShape) and \(levels) levels")
        }
        layerStride = compressesLayers ? 2 : 1
        var shapes = [gridShape]
        var kernels: [Int] = []
        var paddings: [[Int]] = []
        for _ in 0..<(levels - 1) {
            let shape = shapes.last!
            guard shape[1] >= 2, shape[2] >= 2 else {
                throw fail("level shape \(shape) is too small to downsample (Φ and R need at least 2 bins); use fewer levels")
            }
            let kernel = shape[0] % 2 == 0 ? 4 : 3
            let padding = [0, shape[1] % 2, shape[2] % 2]
            let lower = Self.downsampled(shape, layerStride: layerStride)
            let restored = Self.upsampled(lower, kernelZ: kernel, outputPadding: padding, layerStride: layerStride)
            guard restored == shape else {
                throw fail(
                    "upsampling \(lower) gives \(restored), not \(shape); with an uncompressed layer axis Z must be odd at every level"
                )
            }
            shapes.append(lower)
            kernels.append(kernel)
            paddings.append(padding)
        }
        levelShapes = shapes
        upsamplingKernelZ = kernels
        upsamplingOutputPadding = paddings
    }

    /// The output shape of the downsampling convolution on `[Z, Φ, R]`.
    public static func downsampled(_ shape: [Int], layerStride: Int) -> [Int] {
        [(shape[0] + 2 - 3) / layerStride + 1, (shape[1] + 2 - 4) / 2 + 1, (shape[2] + 2 - 4) / 2 + 1]
    }

    /// The output shape of the upsampling transposed convolution on `[Z, Φ, R]`: (in − 1)·stride − 2·padding +
    /// kernel + outputPadding per axis. Along Φ the input is first padded circularly by 1 on each side and the
    /// transposed convolution pads by 3, which gives the same size, 2Φ + outputPadding.
    public static func upsampled(_ shape: [Int], kernelZ: Int, outputPadding: [Int], layerStride: Int) -> [Int] {
        [
            (shape[0] - 1) * layerStride - 2 + kernelZ + outputPadding[0],
            (shape[1] - 1) * 2 - 2 + 4 + outputPadding[1],
            (shape[2] - 1) * 2 - 2 + 4 + outputPadding[2],
        ]
    }
}
