import Diffusion
import Torch

/// Wraps a ``DiffusionNetwork`` and counts its evaluations, for the NFE a generator reports.
final class NetworkEvaluationCounter {
    private(set) var count = 0
    private let wrapped: DiffusionNetwork

    init(_ network: @escaping DiffusionNetwork) { wrapped = network }

    /// The wrapped network, counting each call.
    var network: DiffusionNetwork {
        { [self] input, noiseLevel, condition in
            count += 1
            return try wrapped(input, noiseLevel, condition)
        }
    }
}
