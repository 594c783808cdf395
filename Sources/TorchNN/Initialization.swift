import Foundation
import Torch

/// Parameter initialisers matching PyTorch's layer defaults. Values are drawn on the CPU from an
/// explicit generator (so a seed gives the same weights on every device), then moved to the
/// ambient device and marked as requiring gradients.
public enum Initialization {
    /// U(−bound, bound) with bound = 1/√fanIn: PyTorch's `kaiming_uniform_(a=√5)` for weights and
    /// its bias rule for Linear and Conv layers.
    public static func uniformFanIn(_ shape: [Int], fanIn: Int, generator: Generator, dtype: DType = .float32) throws -> Tensor {
        let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
        return try uniform(shape, low: -bound, high: bound, generator: generator, dtype: dtype)
    }

    public static func uniform(_ shape: [Int], low: Double, high: Double, generator: Generator, dtype: DType = .float32) throws -> Tensor {
        let t = try Tensor.empty(shape, dtype: dtype, device: .cpu)
        try t.uniform_(low: low, high: high, generator: generator)
        return try parameter(t)
    }

    public static func normal(_ shape: [Int], mean: Double = 0, std: Double = 1, generator: Generator, dtype: DType = .float32) throws -> Tensor {
        let t = try Tensor.empty(shape, dtype: dtype, device: .cpu)
        try t.normal_(mean: mean, std: std, generator: generator)
        return try parameter(t)
    }

    public static func constant(_ shape: [Int], value: Double, dtype: DType = .float32) throws -> Tensor {
        try parameter(Tensor.full(shape, value: value, dtype: dtype, device: .cpu))
    }

    /// Moves a CPU tensor to the ambient device and marks it as a trainable leaf.
    static func parameter(_ cpu: Tensor) throws -> Tensor {
        let placed = Device.current == .cpu ? cpu : try cpu.to(Device.current)
        try placed.setRequiresGrad(true)
        return placed
    }
}
