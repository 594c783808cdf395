import Torch
import TorchNN

/// A network the classifier test can train: rows `[batch, features]` in, logits `[batch, 1]` out.
public typealias ClassifierModel = Module & UnaryLayer

/// The network of a classifier test, as a value that builds it (``ClassifierConfiguration/architecture``).
public protocol ClassifierArchitecture: Sendable {
    /// One line naming the network and its shape, for reports and for telling saved trainings apart.
    var summary: String { get }
    /// Throws ``EvaluationError`` for settings that cannot build a network.
    func validate() throws
    /// Builds the network with parameters of `dtype` on the ambient device, initial weights drawn
    /// from `generator` and dropout masks from `dropoutGenerator`.
    func makeNetwork(inputWidth: Int, dtype: DType, generator: Generator, dropoutGenerator: Generator) throws -> any ClassifierModel
}

/// evaluate.py's DNN (``ClassifierNetwork``; `--cls_n_layer`, `--cls_n_hidden`, `--cls_dropout_probability`).
public struct DenseClassifierArchitecture: ClassifierArchitecture, Equatable {
    /// Hidden width→width blocks after the input layer (official: 2).
    public var hiddenLayerCount: Int
    /// Hidden width (official: 2048).
    public var hiddenWidth: Int
    /// Dropout probability (official: 0).
    public var dropoutProbability: Double

    public init(hiddenLayerCount: Int = 2, hiddenWidth: Int = 2048, dropoutProbability: Double = 0) {
        self.hiddenLayerCount = hiddenLayerCount
        self.hiddenWidth = hiddenWidth
        self.dropoutProbability = dropoutProbability
    }

    public var summary: String {
        "DNN \(hiddenLayerCount) × \(hiddenWidth)" + (dropoutProbability > 0 ? ", dropout \(dropoutProbability)" : "")
    }

    public func validate() throws {
        guard hiddenLayerCount >= 0, hiddenWidth >= 1, (0..<1).contains(dropoutProbability) else {
            throw EvaluationError.invalidArgument(
                "classifier DNN: need hiddenLayerCount ≥ 0 (\(hiddenLayerCount)), hiddenWidth ≥ 1 (\(hiddenWidth)) and dropout in [0, 1) (\(dropoutProbability))"
            )
        }
    }

    public func makeNetwork(inputWidth: Int, dtype: DType, generator: Generator, dropoutGenerator: Generator) throws
        -> any ClassifierModel
    {
        try ClassifierNetwork(
            inputWidth: inputWidth, hiddenLayerCount: hiddenLayerCount, hiddenWidth: hiddenWidth,
            dropoutProbability: dropoutProbability, dtype: dtype, generator: generator, dropoutGenerator: dropoutGenerator)
    }
}

/// evaluate.py's `cls-resnet` network (``ResNetClassifierNetwork``; `--cls_resnet_layers`) on the
/// cls-low input.
public struct ResNetClassifierArchitecture: ClassifierArchitecture, Equatable {
    /// 10, 18 (official default), 34, 50, 101, 152 or 200.
    public var depth: Int
    /// (layers, angular bins, radial bins): (45, 16, 9) for ds2, (45, 50, 18) for ds3.
    public var imageShape: [Int]

    public init(depth: Int = 18, imageShape: [Int]) {
        self.depth = depth
        self.imageShape = imageShape
    }

    public var summary: String { "ResNet-\(depth) on \(imageShape.map(String.init).joined(separator: " × "))" }

    /// Whether resnet.py defines a network of ``depth``.
    public var isSupported: Bool { ResNetPlan(depth: depth) != nil }

    public func validate() throws {
        guard isSupported else { throw EvaluationError.unsupportedResNetDepth(depth) }
    }

    public func makeNetwork(inputWidth: Int, dtype: DType, generator: Generator, dropoutGenerator: Generator) throws
        -> any ClassifierModel
    {
        let expected = imageShape.reduce(1, *) + 1
        guard inputWidth == expected else {
            throw EvaluationError.invalidArgument(
                "cls-resnet: inputs have \(inputWidth) columns, but a \(summary) needs \(expected) (log10 E_inc and the voxels)")
        }
        return try ResNetClassifierNetwork(depth: depth, imageShape: imageShape, dtype: dtype, generator: generator)
    }
}
