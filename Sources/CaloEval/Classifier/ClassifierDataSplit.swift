import CaloData
import Torch

/// Classifier inputs with their labels: 0 = generated (evaluate.py's "submission"), 1 = reference
/// (Geant4) (spec/calochallenge.md §5.1).
public struct LabelledSamples {
    /// `[events, features]`.
    public let inputs: Tensor
    /// `[events]` float64, 0 or 1.
    public let labels: Tensor

    /// - Throws: ``EvaluationError/invalidArgument(_:)`` unless inputs are `[n, d]` and labels `[n]`.
    public init(inputs: Tensor, labels: Tensor) throws {
        guard inputs.ndim == 2, labels.shape == [inputs.dim(0)] else {
            throw EvaluationError.invalidArgument(
                "classifier samples: inputs \(inputs.shape) must be [events, features] with one label per event, got labels \(labels.shape)"
            )
        }
        self.inputs = inputs
        self.labels = try labels.to(dtype: .float64)
    }

    /// Number of events.
    public var count: Int { inputs.dim(0) }
}

/// Events per class in the train and test parts of the classifier split; the validation part is
/// the rest (spec/calochallenge.md §5.2).
public struct ClassifierSplitSizes: Sendable, Equatable, Codable {
    public var train: Int
    public var test: Int

    public init(train: Int, test: Int) {
        self.train = train
        self.test = test
    }

    /// ds1 photons and pions: 80 000 / 20 000 (validation 21 000 resp. 20 800).
    public static let dataset1 = ClassifierSplitSizes(train: 80_000, test: 20_000)
    /// ds2 and ds3: 60 000 / 20 000 (validation 20 000).
    public static let datasets2And3 = ClassifierSplitSizes(train: 60_000, test: 20_000)

    /// The official sizes for a built-in geometry.
    ///
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` for other geometries.
    public static func official(for geometry: Geometry) throws -> ClassifierSplitSizes {
        switch geometry.layers {
        case Geometry.ds1Photons.layers, Geometry.ds1Pions.layers: return .dataset1
        case Geometry.ds2.layers, Geometry.ds3.layers: return .datasets2And3
        default:
            throw EvaluationError.invalidArgument(
                "geometry '\(geometry.name)' has no official classifier split (only ds1-photons, ds1-pions, ds2 and ds3 do); pass ClassifierSplitSizes(train:test:)"
            )
        }
    }
}

/// The train / test / validation sets of the classifier test (spec/calochallenge.md §5.2):
/// test selects the model and fits the calibration, validation gives the reported numbers.
public struct ClassifierDataSplit {
    public let train: LabelledSamples
    public let test: LabelledSamples
    public let validation: LabelledSamples

    /// Wraps given sets.
    public init(train: LabelledSamples, test: LabelledSamples, validation: LabelledSamples) {
        self.train = train
        self.test = test
        self.validation = validation
    }

    /// Splits as evaluate.py's `ttv_split`: each sample is shuffled on its own and cut into
    /// `sizes.train`, `sizes.test` and the remaining events; the matching parts of both samples
    /// are concatenated (generated first, label 0; reference, label 1) and each part is shuffled
    /// again. Permutations come from `generator` (evaluate.py uses NumPy's unseeded global RNG).
    ///
    /// - Parameters:
    ///   - generated: `[events, features]` inputs of the sample under test (``ClassifierInputs``).
    ///   - reference: `[events, features]` inputs of the Geant4 sample, same shape.
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` when the shapes differ (evaluate.py asserts
    ///   equal event counts) or the sizes leave no validation events.
    public init(generated: Tensor, reference: Tensor, sizes: ClassifierSplitSizes, generator: Generator) throws {
        guard generated.ndim == 2, generated.shape == reference.shape else {
            throw EvaluationError.invalidArgument(
                "classifier split: generated \(generated.shape) and reference \(reference.shape) must both be [events, features] with equal event counts"
            )
        }
        let events = generated.dim(0)
        guard sizes.train > 0, sizes.test > 0, sizes.train + sizes.test < events else {
            throw EvaluationError.invalidArgument(
                "classifier split: \(sizes.train) train + \(sizes.test) test events per class leave no validation events out of \(events); use smaller sizes or more events"
            )
        }
        func shuffled(_ x: Tensor) throws -> Tensor {
            let order = try Tensor.randperm(x.dim(0), generator: generator).to(x.device)
            return try x.indexSelect(dim: 0, index: order)
        }
        let a = try shuffled(generated)
        let b = try shuffled(reference)
        let bounds = [(0, sizes.train), (sizes.train, sizes.test), (sizes.train + sizes.test, events - sizes.train - sizes.test)]
        var parts: [LabelledSamples] = []
        for (start, length) in bounds {
            let inputs = try Tensor.cat(
                [a.narrowed(dim: 0, start: start, length: length), b.narrowed(dim: 0, start: start, length: length)], dim: 0)
            let labels = try Tensor.cat([
                Tensor.zeros([length], dtype: .float64, device: inputs.device),
                Tensor.ones([length], dtype: .float64, device: inputs.device),
            ])
            let order = try Tensor.randperm(2 * length, generator: generator).to(inputs.device)
            parts.append(
                try LabelledSamples(
                    inputs: inputs.indexSelect(dim: 0, index: order), labels: labels.indexSelect(dim: 0, index: order)))
        }
        self.init(train: parts[0], test: parts[1], validation: parts[2])
    }
}
