import ArgumentParser
import Torch

/// The precision of a classifier test, shared by `evaluate --cls-dtype` and `bench classifier --dtype`:
/// float64 as evaluate.py trains, or float32 (about 8× faster for cls-resnet on a CPU, docs/benchmarks.md).
enum ClassifierPrecision: String, CaseIterable, ExpressibleByArgument {
    case float64, float32

    /// Parses `float64` or `float32`, case-insensitive.
    init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }

    /// The tensor dtype the classifier runs in.
    var dtype: DType {
        switch self {
        case .float64: return .float64
        case .float32: return .float32
        }
    }
}
