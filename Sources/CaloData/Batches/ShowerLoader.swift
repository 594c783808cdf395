import Foundation
import Torch

/// Serves training and validation batches of CaloChallenge showers held in host memory.
///
/// The events are split once into a training and a validation set with `splitGenerator` (a random
/// permutation; the first ⌊N · trainingFraction⌋ events of it train, as the references' `int(frac · N)`
/// split does, spec/models.md §A.2, §B.1.8). Every training epoch visits the training events once, in an
/// order drawn from `shuffleGenerator` at the start of the epoch; validation batches come in file order.
///
/// The data order is resumable: ``state()`` captures the epoch, the position within it and the shuffle
/// generator's state at the start of the epoch, and ``restore(_:)`` on a loader built from the same data,
/// fraction and split seed continues with the same batches. Give the loader its own shuffle generator: it
/// is rewound on restore.
///
/// Not thread-safe; a training run uses one loader on one task.
public final class ShowerLoader {
    /// Where the data order stands; Codable, so it can be stored in checkpoint metadata.
    public struct State: Codable, Equatable, Sendable {
        /// The current epoch (0-based).
        public var epoch: Int
        /// Training events already served in this epoch.
        public var position: Int
        /// The shuffle generator's state before this epoch's permutation was drawn.
        public var generatorState: [UInt8]
        /// Size of the training set, and a checksum of its event indices, to detect a different split.
        public var trainingCount: Int
        public var trainingChecksum: UInt64
    }

    public let geometry: Geometry
    /// Events per batch (the last batch of an epoch may be smaller unless ``dropsLastBatch``).
    public let batchSize: Int
    /// Whether an epoch ends before a final batch smaller than ``batchSize``.
    public let dropsLastBatch: Bool
    /// Device and dtype of the batches.
    public let device: Device
    public let dtype: DType
    /// Rows of the training events, increasing.
    public let trainingIndices: [Int]
    /// Rows of the validation events, increasing.
    public let validationIndices: [Int]
    /// The current epoch (0-based); it advances when ``nextBatch()`` reports the end of an epoch.
    public private(set) var epoch = 0
    /// Training events already served in the current epoch.
    public private(set) var position = 0

    private let showers: Tensor
    private let incidentEnergies: Tensor
    private let shuffleGenerator: Generator
    private var order: [Int] = []
    private var epochGeneratorState: [UInt8] = []

    /// A loader over showers already in memory.
    /// - Parameters:
    ///   - showers: `[events, voxels]`, MeV, any float dtype; kept where it is and gathered per batch.
    ///   - incidentEnergies: `[events, 1]` or `[events]`, MeV.
    ///   - trainingFraction: share of the events used for training, strictly between 0 and 1.
    ///   - splitGenerator: draws the train/validation split (used only here).
    ///   - shuffleGenerator: draws every epoch's order; the loader keeps and rewinds it.
    /// - Throws: ``CaloDataError`` for shapes that do not fit `geometry`, a fraction outside (0, 1), a split that
    ///   leaves either set empty, or a batch size below 1.
    public init(
        showers: Tensor, incidentEnergies: Tensor, geometry: Geometry, trainingFraction: Double,
        splitGenerator: Generator, shuffleGenerator: Generator, batchSize: Int, dropsLastBatch: Bool = false,
        device: Device = .cpu, dtype: DType = .float32
    ) throws {
        try geometry.checkShowers(showers, operation: "shower loader")
        let eventCount = showers.dim(0)
        let energyShape = incidentEnergies.shape
        guard (energyShape.count == 1 || (energyShape.count == 2 && energyShape[1] == 1)), energyShape[0] == eventCount else {
            throw CaloDataError.wrongTensorShape(
                operation: "shower loader", expected: "incident energies [\(eventCount), 1]", actual: energyShape)
        }
        guard trainingFraction > 0, trainingFraction < 1 else {
            throw CaloDataError.invalidArgument(
                "trainingFraction is \(trainingFraction); it must lie strictly between 0 and 1 (e.g. 0.85)")
        }
        guard batchSize >= 1 else {
            throw CaloDataError.invalidArgument("batchSize is \(batchSize); it must be at least 1")
        }
        guard dtype.isFloatingPoint else {
            throw CaloDataError.invalidArgument("batch dtype \(dtype) is not a floating-point type; use float32 or float64")
        }
        let trainingCount = Int(Double(eventCount) * trainingFraction)
        guard trainingCount >= 1, trainingCount < eventCount else {
            throw CaloDataError.invalidArgument(
                "trainingFraction \(trainingFraction) of \(eventCount) events leaves \(trainingCount) for training and \(eventCount - trainingCount) for validation; both need at least one event"
            )
        }
        guard !dropsLastBatch || trainingCount >= batchSize else {
            throw CaloDataError.invalidArgument(
                "batchSize \(batchSize) exceeds the \(trainingCount) training events, so dropping the last partial batch leaves no batches; use a smaller batch size"
            )
        }
        let permutation = try Tensor.randperm(eventCount, generator: splitGenerator).toArray(Int64.self).map { Int($0) }
        self.trainingIndices = permutation[..<trainingCount].sorted()
        self.validationIndices = permutation[trainingCount...].sorted()
        self.showers = showers
        self.incidentEnergies = try incidentEnergies.reshaped([eventCount, 1])
        self.geometry = geometry
        self.batchSize = batchSize
        self.dropsLastBatch = dropsLastBatch
        self.device = device
        self.dtype = dtype
        self.shuffleGenerator = shuffleGenerator
        try beginEpoch(0)
    }

    /// A loader over a whole CaloChallenge file, read into host memory (showers as float32, incident energies
    /// as float64) in chunks of `chunkSize` events.
    public convenience init(
        reader: CaloChallengeReader, trainingFraction: Double, splitGenerator: Generator, shuffleGenerator: Generator,
        batchSize: Int, dropsLastBatch: Bool = false, device: Device = .cpu, dtype: DType = .float32, chunkSize: Int = 4096
    ) throws {
        let count = reader.eventCount
        let voxels = reader.geometry.voxelCount
        let showers = try Tensor.empty([count, voxels], dtype: .float32, device: .cpu)
        var start = 0
        while start < count {
            let rows = start..<Swift.min(start + Swift.max(chunkSize, 1), count)
            let chunk = try Tensor(try reader.showers(rows), shape: [rows.count, voxels])
            try showers.narrowed(dim: 0, start: rows.lowerBound, length: rows.count).copy_(chunk)
            start = rows.upperBound
        }
        let energies = try Tensor(try reader.incidentEnergies(0..<count), shape: [count, 1])
        try self.init(
            showers: showers, incidentEnergies: energies, geometry: reader.geometry, trainingFraction: trainingFraction,
            splitGenerator: splitGenerator, shuffleGenerator: shuffleGenerator, batchSize: batchSize,
            dropsLastBatch: dropsLastBatch, device: device, dtype: dtype)
    }

    /// Training batches per epoch.
    public var batchesPerEpoch: Int {
        dropsLastBatch ? trainingIndices.count / batchSize : (trainingIndices.count + batchSize - 1) / batchSize
    }

    /// The next training batch of the current epoch, or nil when the epoch is over; in that case the next
    /// epoch (with a new order) has already begun, so `while let batch = try loader.nextBatch()` runs one epoch.
    public func nextBatch() throws -> ShowerBatch? {
        let remaining = order.count - position
        if remaining == 0 || (dropsLastBatch && remaining < batchSize) {
            try beginEpoch(epoch + 1)
            return nil
        }
        let rows = Array(order[position..<(position + Swift.min(batchSize, remaining))])
        position += rows.count
        return try batch(rows: rows)
    }

    /// Validation batches (in increasing row order).
    public var validationBatchCount: Int { (validationIndices.count + batchSize - 1) / batchSize }

    /// Validation batch `index` (0 ..< ``validationBatchCount``).
    public func validationBatch(_ index: Int) throws -> ShowerBatch {
        guard index >= 0, index < validationBatchCount else {
            throw CaloDataError.invalidArgument("validation batch \(index) does not exist; there are \(validationBatchCount)")
        }
        let start = index * batchSize
        return try batch(rows: Array(validationIndices[start..<Swift.min(start + batchSize, validationIndices.count)]))
    }

    /// The first `maxCount` training events (in increasing row order) as one batch: what a model fits its
    /// data-dependent preprocessing on before training.
    public func trainingSample(maxCount: Int) throws -> ShowerBatch {
        guard maxCount >= 1 else { throw CaloDataError.invalidArgument("maxCount is \(maxCount); it must be at least 1") }
        return try batch(rows: Array(trainingIndices.prefix(maxCount)))
    }

    /// Where the data order stands now.
    public func state() -> State {
        State(
            epoch: epoch, position: position, generatorState: epochGeneratorState,
            trainingCount: trainingIndices.count, trainingChecksum: Self.checksum(trainingIndices))
    }

    /// Continues from a saved ``State``: the shuffle generator is rewound to the start of that epoch, the
    /// epoch's order is drawn again and serving resumes at the saved position.
    public func restore(_ state: State) throws {
        guard state.trainingCount == trainingIndices.count, state.trainingChecksum == Self.checksum(trainingIndices) else {
            throw CaloDataError.invalidArgument(
                "the saved loader state belongs to another train/validation split (\(state.trainingCount) training events, this loader has \(trainingIndices.count)); build the loader with the same data, trainingFraction and split seed"
            )
        }
        guard state.epoch >= 0, state.position >= 0, state.position <= trainingIndices.count else {
            throw CaloDataError.invalidArgument(
                "the saved loader state has epoch \(state.epoch) and position \(state.position), outside this loader's \(trainingIndices.count) training events"
            )
        }
        try shuffleGenerator.setState(try Tensor(state.generatorState))
        try beginEpoch(state.epoch)
        position = state.position
    }

    // MARK: private

    private func beginEpoch(_ newEpoch: Int) throws {
        epochGeneratorState = try shuffleGenerator.state().toArray(UInt8.self)
        let permutation = try Tensor.randperm(trainingIndices.count, generator: shuffleGenerator).toArray(Int64.self)
        order = permutation.map { trainingIndices[Int($0)] }
        epoch = newEpoch
        position = 0
    }

    private func batch(rows: [Int]) throws -> ShowerBatch {
        let index = try Tensor(rows.map(Int64.init)).to(device: showers.device)
        let batchShowers = try showers.indexSelect(dim: 0, index: index).to(dtype: dtype, device: device)
        let batchEnergies = try incidentEnergies.indexSelect(dim: 0, index: index).to(dtype: dtype, device: device)
        return ShowerBatch(
            showers: batchShowers, incidentEnergies: batchEnergies,
            layerEnergies: try geometry.layerEnergies(of: batchShowers), eventIndices: rows)
    }

    /// FNV-1a over the indices: cheap, and enough to tell two splits apart.
    private static func checksum(_ indices: [Int]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in indices {
            hash ^= UInt64(truncatingIfNeeded: index)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
