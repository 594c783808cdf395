import Torch

/// y = x·Wᵀ + b (PyTorch `nn.Linear`; weight `[out, in]`, U(±1/√in) initialisation).
public final class Linear: Module, UnaryLayer {
    public let weight: Tensor
    public let bias: Tensor?

    /// `dtype` is the parameters' element type (float64 for the CaloChallenge classifier, whose
    /// reference code sets torch's default dtype to float64).
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, dtype: DType = .float32, generator: Generator) throws {
        weight = try Initialization.uniformFanIn([outFeatures, inFeatures], fanIn: inFeatures, generator: generator, dtype: dtype)
        self.bias = bias ? try Initialization.uniformFanIn([outFeatures], fanIn: inFeatures, generator: generator, dtype: dtype) : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try linear(x, weight: weight, bias: bias) }
}

/// A per-dimension list from one value or `n` values (kernel sizes, strides, paddings of N-d layers).
private func spreadToSpatialDims(_ values: [Int], _ n: Int, _ name: String, layer: String) throws -> [Int] {
    if values.count == n { return values }
    if values.count == 1 { return Array(repeating: values[0], count: n) }
    throw TorchError.invalidArgument("\(layer): \(name) needs 1 or \(n) entries, got \(values)")
}

/// How a convolution pads its input (PyTorch's `padding_mode`).
public enum ConvolutionPadding: String, Sendable, Codable {
    case zeros, circular, replicate, reflect
}

/// N-d convolution (PyTorch `nn.Conv1d/2d/3d`): weight `[out, in/groups, k…]`, U(±1/√fanIn)
/// initialisation with fanIn = in/groups · Πk, parameters of `dtype` (float32 unless asked).
public class Convolution: Module, UnaryLayer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: [Int]
    public let padding: [Int]
    public let dilation: [Int]
    public let groups: Int
    public let paddingMode: ConvolutionPadding

    init(
        spatialDims n: Int, _ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int], padding: [Int],
        dilation: [Int], groups: Int, bias: Bool, paddingMode: ConvolutionPadding, dtype: DType, generator: Generator
    ) throws {
        func spread(_ v: [Int], _ name: String) throws -> [Int] { try spreadToSpatialDims(v, n, name, layer: "Conv\(n)d") }
        guard inChannels % groups == 0, outChannels % groups == 0 else {
            throw TorchError.invalidArgument("Conv\(n)d: channels \(inChannels)→\(outChannels) are not divisible by groups=\(groups)")
        }
        let k = try spread(kernelSize, "kernelSize")
        self.stride = try spread(stride, "stride")
        self.padding = try spread(padding, "padding")
        self.dilation = try spread(dilation, "dilation")
        self.groups = groups
        self.paddingMode = paddingMode
        let fanIn = inChannels / groups * k.reduce(1, *)
        weight = try Initialization.uniformFanIn(
            [outChannels, inChannels / groups] + k, fanIn: fanIn, generator: generator, dtype: dtype)
        self.bias = bias ? try Initialization.uniformFanIn([outChannels], fanIn: fanIn, generator: generator, dtype: dtype) : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard paddingMode != .zeros else {
            return try convolution(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
        // Non-zero padding modes pad explicitly, last spatial dim first (PyTorch's order), then convolve unpadded.
        var pad: [Int] = []
        for p in padding.reversed() { pad += [p, p] }
        let mode: PaddingMode = paddingMode == .circular ? .circular : paddingMode == .replicate ? .replicate : .reflect
        let padded = try x.padded(pad, mode: mode)
        return try convolution(padded, weight: weight, bias: bias, stride: stride, padding: [0], dilation: dilation, groups: groups)
    }
}

public final class Conv1d: Convolution {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
                groups: Int = 1, bias: Bool = true, paddingMode: ConvolutionPadding = .zeros, dtype: DType = .float32,
                generator: Generator) throws {
        try super.init(spatialDims: 1, inChannels, outChannels, kernelSize: [kernelSize], stride: [stride], padding: [padding],
                       dilation: [dilation], groups: groups, bias: bias, paddingMode: paddingMode, dtype: dtype, generator: generator)
    }
}

public final class Conv2d: Convolution {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1], padding: [Int] = [0],
                dilation: [Int] = [1], groups: Int = 1, bias: Bool = true, paddingMode: ConvolutionPadding = .zeros,
                dtype: DType = .float32, generator: Generator) throws {
        try super.init(spatialDims: 2, inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                       dilation: dilation, groups: groups, bias: bias, paddingMode: paddingMode, dtype: dtype, generator: generator)
    }
}

public final class Conv3d: Convolution {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1], padding: [Int] = [0],
                dilation: [Int] = [1], groups: Int = 1, bias: Bool = true, paddingMode: ConvolutionPadding = .zeros,
                dtype: DType = .float32, generator: Generator) throws {
        try super.init(spatialDims: 3, inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                       dilation: dilation, groups: groups, bias: bias, paddingMode: paddingMode, dtype: dtype, generator: generator)
    }
}

/// N-d transposed convolution (PyTorch `nn.ConvTranspose1d/2d/3d`): weight `[in, out/groups, k…]`;
/// PyTorch computes its init fan-in from dim 1, i.e. out/groups · Πk.
public class TransposedConvolution: Module, UnaryLayer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: [Int]
    public let padding: [Int]
    public let outputPadding: [Int]
    public let dilation: [Int]
    public let groups: Int

    init(spatialDims n: Int, _ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int], padding: [Int],
         outputPadding: [Int], dilation: [Int], groups: Int, bias: Bool, generator: Generator) throws {
        func spread(_ v: [Int], _ name: String) throws -> [Int] { try spreadToSpatialDims(v, n, name, layer: "ConvTranspose\(n)d") }
        let k = try spread(kernelSize, "kernelSize")
        self.stride = try spread(stride, "stride")
        self.padding = try spread(padding, "padding")
        self.outputPadding = try spread(outputPadding, "outputPadding")
        self.dilation = try spread(dilation, "dilation")
        self.groups = groups
        let fanIn = outChannels / groups * k.reduce(1, *)
        weight = try Initialization.uniformFanIn([inChannels, outChannels / groups] + k, fanIn: fanIn, generator: generator)
        self.bias = bias ? try Initialization.uniformFanIn([outChannels], fanIn: fanIn, generator: generator) : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try transposedConvolution(x, weight: weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding,
                                  dilation: dilation, groups: groups)
    }
}

public final class ConvTranspose1d: TransposedConvolution {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, outputPadding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, generator: Generator) throws {
        try super.init(spatialDims: 1, inChannels, outChannels, kernelSize: [kernelSize], stride: [stride], padding: [padding],
                       outputPadding: [outputPadding], dilation: [dilation], groups: groups, bias: bias, generator: generator)
    }
}

public final class ConvTranspose2d: TransposedConvolution {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1], padding: [Int] = [0],
                outputPadding: [Int] = [0], dilation: [Int] = [1], groups: Int = 1, bias: Bool = true, generator: Generator) throws {
        try super.init(spatialDims: 2, inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                       outputPadding: outputPadding, dilation: dilation, groups: groups, bias: bias, generator: generator)
    }
}

public final class ConvTranspose3d: TransposedConvolution {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1], padding: [Int] = [0],
                outputPadding: [Int] = [0], dilation: [Int] = [1], groups: Int = 1, bias: Bool = true, generator: Generator) throws {
        try super.init(spatialDims: 3, inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                       outputPadding: outputPadding, dilation: dilation, groups: groups, bias: bias, generator: generator)
    }
}

/// Group normalisation (PyTorch `nn.GroupNorm`; affine weight 1, bias 0).
public final class GroupNorm: Module, UnaryLayer {
    public let groups: Int
    public let eps: Double
    public let weight: Tensor?
    public let bias: Tensor?

    public init(groups: Int, channels: Int, eps: Double = 1e-5, affine: Bool = true) throws {
        guard groups > 0, channels % groups == 0 else {
            throw TorchError.invalidArgument("GroupNorm: \(channels) channels are not divisible into \(groups) groups")
        }
        self.groups = groups
        self.eps = eps
        weight = affine ? try Initialization.constant([channels], value: 1) : nil
        bias = affine ? try Initialization.constant([channels], value: 0) : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps) }
}

/// Layer normalisation over the trailing `normalizedShape` (PyTorch `nn.LayerNorm`).
public final class LayerNorm: Module, UnaryLayer {
    public let normalizedShape: [Int]
    public let eps: Double
    public let weight: Tensor?
    public let bias: Tensor?

    public init(_ normalizedShape: [Int], eps: Double = 1e-5, affine: Bool = true) throws {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = affine ? try Initialization.constant(normalizedShape, value: 1) : nil
        bias = affine ? try Initialization.constant(normalizedShape, value: 0) : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try layerNorm(x, normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
    }
}

/// Inverted dropout, active only in training mode, drawing from its own generator.
public final class Dropout: Module, UnaryLayer {
    public let probability: Double
    private let generator: Generator

    public init(_ probability: Double, generator: Generator) throws {
        guard (0...1).contains(probability) else {
            throw TorchError.invalidArgument("Dropout: probability must be in [0, 1], got \(probability)")
        }
        self.probability = probability
        self.generator = generator
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try dropout(x, p: probability, training: isTraining, generator: generator)
    }
}

/// A lookup table of `count` vectors of size `dimension` (PyTorch `nn.Embedding`, N(0, 1) init).
public final class Embedding: Module {
    public let weight: Tensor

    public init(_ count: Int, _ dimension: Int, generator: Generator) throws {
        weight = try Initialization.normal([count, dimension], generator: generator)
        super.init()
    }

    public func callAsFunction(_ indices: Tensor) throws -> Tensor { try embedding(weight, indices: indices) }
}

/// Layers applied in order; keys are "0.weight", "1.bias", … as in `nn.Sequential`.
public final class Sequential: Module, UnaryLayer {
    public let layers: [any UnaryLayer]

    public init(_ layers: [any UnaryLayer]) {
        self.layers = layers
        super.init()
    }

    override public var keyOverrides: [String: String] { ["layers": ""] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = x
        for layer in layers { y = try layer(y) }
        return y
    }
}

/// A list of modules; keys are "0.…", "1.…" as in `nn.ModuleList`.
public final class ModuleList: Module {
    public let modules: [Module]

    public init(_ modules: [Module]) {
        self.modules = modules
        super.init()
    }

    override public var keyOverrides: [String: String] { ["modules": ""] }

    public subscript(index: Int) -> Module { modules[index] }
    public var count: Int { modules.count }
}

/// Activation layers for use in ``Sequential``.
public final class SiLU: Module, UnaryLayer {
    override public init() { super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.silu() }
}

public final class ReLU: Module, UnaryLayer {
    override public init() { super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.relu() }
}

public final class GELU: Module, UnaryLayer {
    override public init() { super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.gelu() }
}

public final class LeakyReLU: Module, UnaryLayer {
    public let slope: Double
    public init(slope: Double = 0.01) { self.slope = slope; super.init() }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.leakyRelu(slope: slope) }
}
