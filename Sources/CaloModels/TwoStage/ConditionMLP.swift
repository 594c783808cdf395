import Torch
import TorchNN

/// Linear(n → w) → SiLU → Linear(w → w): the embedding of a condition (time features, incident energy,
/// layer variables) in the two-stage networks.
final class ConditionMLP: Module {
    let input: Linear
    let output: Linear

    init(inputs: Int, width: Int, generator: Generator) throws {
        input = try Linear(inputs, width, generator: generator)
        output = try Linear(width, width, generator: generator)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        try output(try input(x).silu())
    }
}

/// Sets a layer's weights (and bias) to zero, so that a residual branch or an output starts as the identity
/// or zero (adaLN-Zero, Peebles & Xie 2023).
func zeroInitialise(_ layer: Linear) throws {
    try withNoGrad {
        try layer.weight.zero_()
        try layer.bias?.zero_()
    }
}
