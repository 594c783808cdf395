import Torch

/// Batch normalisation over axis 1 of `[N, C]` or `[N, C, …]` (PyTorch `nn.BatchNorm1d/2d/3d`, which
/// share this maths): y = (x − mean)/√(var + eps)·weight + bias, with the batch's statistics in
/// training mode and the running ones in evaluation mode. Weight 1, bias 0; running mean 0, running
/// variance 1.
///
/// In training mode LibTorch's `batch_norm` updates `running_mean` and `running_var` in place with
/// `momentum` (the unbiased batch variance, as PyTorch), and `num_batches_tracked` counts the batches,
/// so the state dict has PyTorch's five keys.
public final class BatchNorm: Module, UnaryLayer {
    public let eps: Double
    public let momentum: Double
    public let weight: Tensor
    public let bias: Tensor
    @Buffer public var runningMean: Tensor
    @Buffer public var runningVar: Tensor
    @Buffer public var numBatchesTracked: Tensor

    /// Builds the layer with parameters and statistics of `dtype` on the ambient device.
    public init(_ channels: Int, eps: Double = 1e-5, momentum: Double = 0.1, dtype: DType = .float32) throws {
        guard channels >= 1 else { throw TorchError.invalidArgument("BatchNorm: need at least 1 channel, got \(channels)") }
        self.eps = eps
        self.momentum = momentum
        weight = try Initialization.constant([channels], value: 1, dtype: dtype)
        bias = try Initialization.constant([channels], value: 0, dtype: dtype)
        runningMean = try Tensor.zeros([channels], dtype: dtype, device: Device.current)
        runningVar = try Tensor.ones([channels], dtype: dtype, device: Device.current)
        numBatchesTracked = try Tensor.zeros([], dtype: .int64, device: Device.current)
        super.init()
    }

    override public var keyOverrides: [String: String] {
        ["runningMean": "running_mean", "runningVar": "running_var", "numBatchesTracked": "num_batches_tracked"]
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        if isTraining {
            // add_ passes a floating-point alpha, which LibTorch refuses for integers: copy the sum instead.
            try withNoGrad { try numBatchesTracked.copy_(numBatchesTracked + 1) }
        }
        return try batchNorm(
            x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar, training: isTraining,
            momentum: momentum, eps: eps)
    }
}
