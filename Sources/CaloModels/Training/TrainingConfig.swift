import Foundation

/// Optimisation settings of a training run (the reference values of CaloDiffusion are in
/// spec/models.md §A.14: Adam, lr 4e-4 (ds1, ds2) / 1e-4 (ds3), batch 128 / 64,
/// ReduceLROnPlateau(0.1, 15) on the training loss each epoch, early stopping "diff" with patience 20, no EMA).
public struct TrainingConfig: Codable, Equatable, Sendable {
    public var learningRate: Double
    public var batchSize: Int
    /// Stop after this many epochs.
    public var maxEpochs: Int
    /// Stop after this many optimizer steps in total (nil: no limit).
    public var maxSteps: Int?
    public var validationFraction: Double
    public var plateauFactor: Double
    public var plateauPatience: Int
    /// Early stopping "diff" mode: epochs in a row with validation loss ≥ training loss before stopping (nil: off).
    public var earlyStopPatience: Int?
    /// Decay of an exponential moving average of the weights (nil: off). Sampling uses the EMA weights when on.
    public var emaDecay: Double?
    /// Clip the global gradient norm to this value (nil: off).
    public var gradientClip: Double?
    /// Write `last.safetensors` every this many steps (and always at epoch ends and on exit).
    public var checkpointEverySteps: Int
    /// Seed of the split, shuffling, noise and initialisation generators.
    public var seed: UInt64

    public init(
        learningRate: Double = 4e-4, batchSize: Int = 128, maxEpochs: Int = 1000, maxSteps: Int? = nil,
        validationFraction: Double = 0.2, plateauFactor: Double = 0.1, plateauPatience: Int = 15,
        earlyStopPatience: Int? = 20, emaDecay: Double? = nil, gradientClip: Double? = nil,
        checkpointEverySteps: Int = 200, seed: UInt64 = 1234
    ) {
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.maxEpochs = maxEpochs
        self.maxSteps = maxSteps
        self.validationFraction = validationFraction
        self.plateauFactor = plateauFactor
        self.plateauPatience = plateauPatience
        self.earlyStopPatience = earlyStopPatience
        self.emaDecay = emaDecay
        self.gradientClip = gradientClip
        self.checkpointEverySteps = checkpointEverySteps
        self.seed = seed
    }

    /// Throws ``ModelError/invalidConfig(_:)`` naming the first field out of range.
    public func validate() throws {
        func fail(_ message: String) -> ModelError { .invalidConfig(message) }
        guard learningRate > 0, learningRate.isFinite else { throw fail("training.learningRate must be positive, got \(learningRate)") }
        guard batchSize >= 1 else { throw fail("training.batchSize must be at least 1, got \(batchSize)") }
        guard maxEpochs >= 1 else { throw fail("training.maxEpochs must be at least 1, got \(maxEpochs)") }
        if let maxSteps, maxSteps < 1 { throw fail("training.maxSteps must be at least 1, got \(maxSteps)") }
        guard validationFraction > 0, validationFraction < 1 else {
            throw fail("training.validationFraction must lie strictly between 0 and 1, got \(validationFraction)")
        }
        guard plateauFactor > 0, plateauFactor < 1 else { throw fail("training.plateauFactor must lie in (0, 1), got \(plateauFactor)") }
        if let emaDecay, !(emaDecay > 0 && emaDecay < 1) { throw fail("training.emaDecay must lie in (0, 1), got \(emaDecay)") }
        guard checkpointEverySteps >= 1 else { throw fail("training.checkpointEverySteps must be at least 1") }
    }
}
