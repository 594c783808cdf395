import Torch
import TorchNN

/// The fully connected classifier of the CaloChallenge classifier test (spec/calochallenge.md
/// §5.3; evaluate.py `DNN`): Linear(d_in → width), LeakyReLU(0.01), Dropout(p), then
/// `hiddenLayerCount` × [Linear(width → width), LeakyReLU(0.01), Dropout(p)], then
/// Linear(width → 1) giving a logit (no sigmoid). PyTorch's default initialisation.
///
/// Keys are `layers.<i>.weight`/`.bias` as the `layers` Sequential of the reference `DNN`.
public final class ClassifierNetwork: Module, UnaryLayer {
    public let layers: Sequential

    /// Builds the network with parameters of `dtype` on the ambient device (``withDevice(_:_:)``).
    ///
    /// - Parameters:
    ///   - inputWidth: d_in, the width of the input vectors.
    ///   - generator: draws the initial weights (on the CPU, so a seed gives the same weights on every device).
    ///   - dropoutGenerator: draws the dropout masks; it must live on the device the network runs on.
    public init(
        inputWidth: Int, hiddenLayerCount: Int = 2, hiddenWidth: Int = 2048, dropoutProbability: Double = 0,
        dtype: DType = .float64, generator: Generator, dropoutGenerator: Generator
    ) throws {
        var stack: [any UnaryLayer] = [
            try Linear(inputWidth, hiddenWidth, dtype: dtype, generator: generator), LeakyReLU(slope: 0.01),
            try Dropout(dropoutProbability, generator: dropoutGenerator),
        ]
        for _ in 0..<hiddenLayerCount {
            stack += [
                try Linear(hiddenWidth, hiddenWidth, dtype: dtype, generator: generator), LeakyReLU(slope: 0.01),
                try Dropout(dropoutProbability, generator: dropoutGenerator),
            ]
        }
        stack.append(try Linear(hiddenWidth, 1, dtype: dtype, generator: generator))
        layers = Sequential(stack)
        super.init()
    }

    /// Logits `[batch, 1]` of inputs `[batch, d_in]`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try layers(x) }
}
