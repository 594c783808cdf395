import Torch

/// Settings of the classifier tests of `caloforge evaluate` (spec/calochallenge.md §5).
public struct ClassifierSettings: Sendable, Equatable, Codable {
    /// Training epochs (official: 50).
    public var epochs: Int
    /// Independent trainings averaged (the paper: 10; evaluate.py: 1).
    public var runs: Int
    /// Depth of the cls-resnet network (`--cls_resnet_layers`, official: 18).
    public var resNetDepth: Int
    /// Parameter and input dtype of every classifier: float64 as evaluate.py, which sets torch's
    /// default dtype; float32 trains the ResNet about 8× faster on a CPU (docs/benchmarks.md).
    public var dtype: DType

    /// Settings of `epochs` epochs per training and `runs` trainings.
    public init(epochs: Int = 50, runs: Int = 1, resNetDepth: Int = 18, dtype: DType = .float64) {
        self.epochs = epochs
        self.runs = runs
        self.resNetDepth = resNetDepth
        self.dtype = dtype
    }

    /// One line for reports and for telling saved work apart.
    public var summary: String {
        "\(epochs) epochs × \(runs) runs, ResNet-\(resNetDepth), \(dtype)"
    }
}
