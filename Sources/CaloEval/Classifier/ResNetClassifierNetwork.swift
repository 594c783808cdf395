import Foundation
import Torch
import TorchNN

/// The 3-D CNN ResNet of the CaloChallenge `cls-resnet` test (spec/calochallenge.md §5.5;
/// evaluate.py's `resnet.py`, after Hara et al.'s 3-D ResNets): column 0 of the cls-low input
/// (log10 E_inc) goes through BatchNorm1d(1); the voxels/E_inc become one channel of
/// `imageShape` = (layers, angular bins, radial bins); a stem Conv3d(1→32, 7³, stride 2, pad 3,
/// no bias) → BN → ReLU → MaxPool3d(3, stride 2, pad 1); four stages of residual blocks with 32,
/// 64, 64, 128 channels (× 4 for bottleneck blocks) and strides 1, 2, 2, 2, shortcut type B; a
/// global average pool concatenated with the normalised log10 E_inc; Linear(→ 1) gives the logit.
///
/// Convolution weights are Kaiming-normal (fan_out, ReLU gain), batch-norm weights 1 and biases 0,
/// the linear layer PyTorch's default. Keys equal the reference `state_dict` (`conv1.weight`,
/// `layer2.0.downsample.1.running_mean`, `fc.bias`, `e_norm.weight`, …).
public final class ResNetClassifierNetwork: Module, UnaryLayer {
    public let conv1: Conv3d
    public let bn1: BatchNorm
    public let layer1: Sequential
    public let layer2: Sequential
    public let layer3: Sequential
    public let layer4: Sequential
    public let fc: Linear
    public let eNorm: BatchNorm
    /// (layers, angular bins, radial bins) of the voxel image.
    public let imageShape: [Int]

    override public var keyOverrides: [String: String] { ["eNorm": "e_norm"] }

    /// Builds the network with parameters of `dtype` on the ambient device.
    ///
    /// - Parameters:
    ///   - depth: 10, 18 (the official default), 34, 50, 101, 152 or 200.
    ///   - imageShape: (45, 16, 9) for ds2, (45, 50, 18) for ds3.
    /// - Throws: ``EvaluationError/unsupportedResNetDepth(_:)`` for another depth.
    public init(depth: Int = 18, imageShape: [Int], dtype: DType = .float64, generator: Generator) throws {
        guard let plan = ResNetPlan(depth: depth) else { throw EvaluationError.unsupportedResNetDepth(depth) }
        guard imageShape.count == 3, imageShape.allSatisfy({ $0 >= 1 }) else {
            throw EvaluationError.invalidArgument("cls-resnet: the voxel image needs 3 positive extents, got \(imageShape)")
        }
        self.imageShape = imageShape
        let widths = [32, 64, 64, 128]
        conv1 = try Conv3d(1, widths[0], kernelSize: [7], stride: [2], padding: [3], bias: false, dtype: dtype, generator: generator)
        bn1 = try BatchNorm(widths[0], dtype: dtype)
        var inChannels = widths[0]
        var stages: [Sequential] = []
        for (stage, (width, count)) in zip(widths, plan.blockCounts).enumerated() {
            var blocks: [any UnaryLayer] = []
            for index in 0..<count {
                let block = try ResNetBlock(
                    inChannels: inChannels, width: width, stride: stage > 0 && index == 0 ? 2 : 1,
                    isBottleneck: plan.isBottleneck, dtype: dtype, generator: generator)
                inChannels = block.outChannels
                blocks.append(block)
            }
            stages.append(Sequential(blocks))
        }
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3])
        fc = try Linear(inChannels + 1, 1, dtype: dtype, generator: generator)
        eNorm = try BatchNorm(1, dtype: dtype)
        super.init()
        try withNoGrad {
            for (key, weight) in namedParameters() where weight.ndim == 5 {
                // Kaiming normal, mode fan_out, ReLU gain √2: std = √(2 / (out channels · kernel volume)).
                let fanOut = weight.shape[0] * weight.shape[2...].reduce(1, *)
                guard fanOut > 0 else { throw EvaluationError.invalidArgument("cls-resnet: empty convolution \(key)") }
                try weight.normal_(mean: 0, std: (2 / Double(fanOut)).squareRoot(), generator: generator)
            }
        }
    }

    /// Logits `[batch, 1]` of cls-low rows `[batch, 1 + Π imageShape]`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let voxelCount = imageShape.reduce(1, *)
        guard x.ndim == 2, x.dim(1) == voxelCount + 1 else {
            throw EvaluationError.invalidArgument(
                "cls-resnet: inputs must be [batch, \(voxelCount + 1)] (log10 E_inc and \(imageShape) voxels), got \(x.shape)")
        }
        let energy = try eNorm(x.narrowed(dim: 1, start: 0, length: 1))
        var h = try x.narrowed(dim: 1, start: 1, length: voxelCount).reshaped([-1, 1] + imageShape)
        h = try bn1(conv1(h)).relu()
        h = try maxPool(h, kernel: [3, 3, 3], stride: [2, 2, 2], padding: [1])
        h = try layer4(layer3(layer2(layer1(h))))
        h = try adaptiveAvgPool(h, outputSize: [1, 1, 1]).flattened(from: 1)
        return try fc(Tensor.cat([h, energy], dim: 1))
    }
}

/// Block counts per stage and block type of each ResNet depth (resnet.py `generate_model`).
struct ResNetPlan {
    let blockCounts: [Int]
    let isBottleneck: Bool

    static let depths = [10, 18, 34, 50, 101, 152, 200]

    init?(depth: Int) {
        switch depth {
        case 10: (blockCounts, isBottleneck) = ([1, 1, 1, 1], false)
        case 18: (blockCounts, isBottleneck) = ([2, 2, 2, 2], false)
        case 34: (blockCounts, isBottleneck) = ([3, 4, 6, 3], false)
        case 50: (blockCounts, isBottleneck) = ([3, 4, 6, 3], true)
        case 101: (blockCounts, isBottleneck) = ([3, 4, 23, 3], true)
        case 152: (blockCounts, isBottleneck) = ([3, 8, 36, 3], true)
        case 200: (blockCounts, isBottleneck) = ([3, 24, 36, 3], true)
        default: return nil
        }
    }
}

/// A residual block: basic (conv3³ → BN → ReLU → conv3³ → BN) or bottleneck (conv1³ → BN → ReLU →
/// conv3³ with the stride → BN → ReLU → conv1³ to 4× width → BN), plus the shortcut (identity, or
/// conv1³ with the stride + BN when the stride or the channel count changes), then ReLU.
final class ResNetBlock: Module, UnaryLayer {
    let conv1: Conv3d
    let bn1: BatchNorm
    let conv2: Conv3d
    let bn2: BatchNorm
    let conv3: Conv3d?
    let bn3: BatchNorm?
    let downsample: Sequential?
    let outChannels: Int

    init(inChannels: Int, width: Int, stride: Int, isBottleneck: Bool, dtype: DType, generator: Generator) throws {
        outChannels = isBottleneck ? 4 * width : width
        if isBottleneck {
            conv1 = try Conv3d(inChannels, width, kernelSize: [1], bias: false, dtype: dtype, generator: generator)
            conv2 = try Conv3d(width, width, kernelSize: [3], stride: [stride], padding: [1], bias: false, dtype: dtype, generator: generator)
            conv3 = try Conv3d(width, outChannels, kernelSize: [1], bias: false, dtype: dtype, generator: generator)
            bn3 = try BatchNorm(outChannels, dtype: dtype)
        } else {
            conv1 = try Conv3d(inChannels, width, kernelSize: [3], stride: [stride], padding: [1], bias: false, dtype: dtype, generator: generator)
            conv2 = try Conv3d(width, width, kernelSize: [3], padding: [1], bias: false, dtype: dtype, generator: generator)
            conv3 = nil
            bn3 = nil
        }
        bn1 = try BatchNorm(width, dtype: dtype)
        bn2 = try BatchNorm(width, dtype: dtype)
        if stride != 1 || inChannels != outChannels {
            downsample = Sequential([
                try Conv3d(inChannels, outChannels, kernelSize: [1], stride: [stride], bias: false, dtype: dtype, generator: generator),
                try BatchNorm(outChannels, dtype: dtype),
            ])
        } else {
            downsample = nil
        }
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        var h = try bn2(conv2(bn1(conv1(x)).relu()))
        if let conv3, let bn3 { h = try bn3(conv3(h.relu())) }
        let shortcut = try downsample?(x) ?? x
        return try (h + shortcut).relu()
    }
}
