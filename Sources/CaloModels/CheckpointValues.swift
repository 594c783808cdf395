import Torch

/// The value check every checkpoint load makes: a tensor holding NaN or infinite values (a diverged
/// run, a damaged file) is refused with its name, where loading it would sample all-NaN showers.
enum CheckpointValues {
    /// - Throws: ``ModelError/nonFiniteWeights(path:tensor:count:)`` for the first such tensor, by name.
    static func checkFinite(_ tensors: [String: Tensor], path: String) throws {
        for (key, tensor) in tensors.sorted(by: { $0.key < $1.key }) {
            let bad = try tensor.isFinite().logicalNot().sum().itemInt()
            if bad > 0 { throw ModelError.nonFiniteWeights(path: path, tensor: key, count: bad) }
        }
    }
}
