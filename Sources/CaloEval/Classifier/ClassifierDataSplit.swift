import CaloData
import Torch

/// Classifier inputs with their labels: 0 = generated (evaluate.py's "submission"), 1 = reference
/// (Geant4) (spec/calochallenge.md §5.1).
///
/// The sets of a ``ClassifierDataSplit`` do not copy their rows: they index into the generated and
/// reference inputs they were cut from, and ``rows(_:)`` gathers the rows a batch needs. That keeps
/// one copy of the inputs in memory (ds2 cls-low at 100 000 events per file: 10 GB in float64,
/// where materialised sets would double it).
public struct LabelledSamples {
    /// Where the rows live: one matrix, or rows picked from two (`fromSecond` chooses per row).
    private enum Storage {
        case matrix(Tensor)
        case picked(first: Tensor, second: Tensor, firstRow: Tensor, secondRow: Tensor, fromSecond: Tensor)
    }

    private let storage: Storage
    /// `[events]` float64, 0 or 1.
    public let labels: Tensor

    /// Samples holding `inputs` itself.
    ///
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` unless inputs are `[n, d]` and labels `[n]`.
    public init(inputs: Tensor, labels: Tensor) throws {
        guard inputs.ndim == 2, labels.shape == [inputs.dim(0)] else {
            throw EvaluationError.invalidArgument(
                "classifier samples: inputs \(inputs.shape) must be [events, features] with one label per event, got labels \(labels.shape)"
            )
        }
        storage = .matrix(inputs)
        self.labels = try labels.to(dtype: .float64)
    }

    /// Samples whose row i is `first[firstRows[i]]` or, where `fromSecond[i]`, `second[secondRows[i]]`.
    init(first: Tensor, second: Tensor, firstRows: [Int64], secondRows: [Int64], fromSecond: [Bool], labels: Tensor) throws {
        let device = first.device
        storage = .picked(
            first: first, second: second, firstRow: try Tensor(firstRows).to(device),
            secondRow: try Tensor(secondRows).to(device), fromSecond: try Tensor(fromSecond).to(device))
        self.labels = try labels.to(dtype: .float64)
    }

    /// Number of events.
    public var count: Int { labels.dim(0) }

    /// Width of an input row.
    public var featureCount: Int {
        switch storage {
        case .matrix(let inputs): return inputs.dim(1)
        case .picked(let first, _, _, _, _): return first.dim(1)
        }
    }

    /// The device the rows live on.
    public var device: Device {
        switch storage {
        case .matrix(let inputs): return inputs.device
        case .picked(let first, _, _, _, _): return first.device
        }
    }

    /// All inputs, `[events, features]` (a copy for the sets of a split).
    public var inputs: Tensor {
        get throws { try rows(start: 0, length: count) }
    }

    /// The inputs of the given events, `[index.count, features]`.
    ///
    /// - Parameter index: int64 event numbers in `0..<count`, on ``device``.
    public func rows(_ index: Tensor) throws -> Tensor {
        switch storage {
        case .matrix(let inputs):
            return try inputs.indexSelect(dim: 0, index: index)
        case let .picked(first, second, firstRow, secondRow, fromSecond):
            let a = try first.indexSelect(dim: 0, index: firstRow.indexSelect(dim: 0, index: index))
            let b = try second.indexSelect(dim: 0, index: secondRow.indexSelect(dim: 0, index: index))
            return try `where`(fromSecond.indexSelect(dim: 0, index: index).unsqueezed(1), b, a)
        }
    }

    /// The inputs of events `start ..< start + length`.
    public func rows(start: Int, length: Int) throws -> Tensor {
        if case .matrix(let inputs) = storage { return try inputs.narrowed(dim: 0, start: start, length: length) }
        return try rows(Tensor.arange(Double(start), Double(start + length), dtype: .int64, device: device))
    }
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
        // The permutations are drawn exactly as evaluate.py's order of operations needs (each sample
        // shuffled, then each part), and composed into row indices instead of copying rows.
        let orderA = try Tensor.randperm(events, generator: generator).toArray(Int64.self)
        let orderB = try Tensor.randperm(events, generator: generator).toArray(Int64.self)
        let bounds = [(0, sizes.train), (sizes.train, sizes.test), (sizes.train + sizes.test, events - sizes.train - sizes.test)]
        var parts: [LabelledSamples] = []
        for (start, length) in bounds {
            let order = try Tensor.randperm(2 * length, generator: generator).toArray(Int64.self)
            var firstRows = [Int64](repeating: 0, count: 2 * length)
            var secondRows = [Int64](repeating: 0, count: 2 * length)
            var fromSecond = [Bool](repeating: false, count: 2 * length)
            var labels = [Double](repeating: 0, count: 2 * length)
            for (i, j) in order.enumerated() {
                if j < length {
                    firstRows[i] = orderA[start + Int(j)]
                } else {
                    secondRows[i] = orderB[start + Int(j) - length]
                    fromSecond[i] = true
                    labels[i] = 1
                }
            }
            parts.append(
                try LabelledSamples(
                    first: generated, second: reference, firstRows: firstRows, secondRows: secondRows, fromSecond: fromSecond,
                    labels: Tensor(labels)))
        }
        self.init(train: parts[0], test: parts[1], validation: parts[2])
    }
}
