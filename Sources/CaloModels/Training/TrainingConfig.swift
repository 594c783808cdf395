import Foundation

/// Settings of a training run: data split, limits, checkpointing, and the policies as values
/// (optimizer, learning-rate schedule, stopping rule, EMA, clipping). The reference values of
/// CaloDiffusion are in spec/models.md §A.14: Adam, lr 4e-4 (ds1, ds2) / 1e-4 (ds3), batch 128 / 64,
/// ReduceLROnPlateau(0.1, 15) on the training loss each epoch, early stopping "diff" with patience 20, no EMA.
///
/// JSON written before the policies existed (`plateauFactor`, `plateauPatience`, `earlyStopPatience`,
/// `gradientClip` instead of `optimizer`, `schedule`, `stopping`, `clipping`) decodes to the behaviour it
/// had: Adam, plateau on the training loss, the "diff" rule when `earlyStopPatience` is present and no
/// early stopping otherwise, global-norm clipping.
public struct TrainingConfig: Codable, Equatable, Sendable {
    /// Starting learning rate (the peak of a cosine schedule).
    public var learningRate: Double
    public var batchSize: Int
    /// Stop after this many epochs.
    public var maxEpochs: Int
    /// Stop after this many optimizer steps in total (nil: no limit).
    public var maxSteps: Int?
    public var validationFraction: Double
    public var optimizer: OptimizerChoice
    public var schedule: LearningRatePolicy
    public var stopping: StoppingRule
    /// Decay of an exponential moving average of the weights (nil: off). Sampling uses the EMA weights when on.
    public var emaDecay: Double?
    /// Gradient clipping before each step (nil: off).
    public var clipping: GradientClipping?
    /// Write `last.safetensors` every this many steps (and always at epoch ends and on exit).
    public var checkpointEverySteps: Int
    /// Seed of the split, shuffling, noise and initialisation generators.
    public var seed: UInt64

    /// A configuration with explicit policies.
    public init(
        learningRate: Double = 4e-4, batchSize: Int = 128, maxEpochs: Int = 1000, maxSteps: Int? = nil,
        validationFraction: Double = 0.2, optimizer: OptimizerChoice, schedule: LearningRatePolicy, stopping: StoppingRule,
        emaDecay: Double? = nil, clipping: GradientClipping? = nil, checkpointEverySteps: Int = 200, seed: UInt64 = 1234
    ) {
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.maxEpochs = maxEpochs
        self.maxSteps = maxSteps
        self.validationFraction = validationFraction
        self.optimizer = optimizer
        self.schedule = schedule
        self.stopping = stopping
        self.emaDecay = emaDecay
        self.clipping = clipping
        self.checkpointEverySteps = checkpointEverySteps
        self.seed = seed
    }

    /// CaloDiffusion's recipe: Adam, ReduceLROnPlateau(`plateauFactor`, `plateauPatience`) on the
    /// training loss, and the "diff" stopping rule with `earlyStopPatience` (nil: no early stopping);
    /// `gradientClip` clips the global gradient norm.
    public init(
        learningRate: Double = 4e-4, batchSize: Int = 128, maxEpochs: Int = 1000, maxSteps: Int? = nil,
        validationFraction: Double = 0.2, plateauFactor: Double = 0.1, plateauPatience: Int = 15,
        earlyStopPatience: Int? = 20, emaDecay: Double? = nil, gradientClip: Double? = nil,
        checkpointEverySteps: Int = 200, seed: UInt64 = 1234
    ) {
        self.init(
            learningRate: learningRate, batchSize: batchSize, maxEpochs: maxEpochs, maxSteps: maxSteps,
            validationFraction: validationFraction, optimizer: .standard,
            schedule: .plateau(monitor: .trainingLoss, factor: plateauFactor, patience: plateauPatience),
            stopping: earlyStopPatience.map { .validationAboveTraining(patience: $0) } ?? .never,
            emaDecay: emaDecay, clipping: gradientClip.map { .globalNorm(maxNorm: $0) }, checkpointEverySteps: checkpointEverySteps, seed: seed)
    }

    /// The policies of a model's single trained part.
    public var policies: TrainingPolicies {
        TrainingPolicies(optimizer: optimizer, learningRate: learningRate, schedule: schedule, clipping: clipping, emaDecay: emaDecay)
    }

    private enum CodingKeys: String, CodingKey {
        case learningRate, batchSize, maxEpochs, maxSteps, validationFraction, optimizer, schedule, stopping
        case emaDecay, clipping, checkpointEverySteps, seed
        // Written before the policies existed.
        case plateauFactor, plateauPatience, earlyStopPatience, gradientClip
    }

    /// Decodes the current layout, or the earlier one (see the type's documentation).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        learningRate = try container.decode(Double.self, forKey: .learningRate)
        batchSize = try container.decode(Int.self, forKey: .batchSize)
        maxEpochs = try container.decode(Int.self, forKey: .maxEpochs)
        maxSteps = try container.decodeIfPresent(Int.self, forKey: .maxSteps)
        validationFraction = try container.decode(Double.self, forKey: .validationFraction)
        optimizer = try container.decodeIfPresent(OptimizerChoice.self, forKey: .optimizer) ?? .standard
        if let schedule = try container.decodeIfPresent(LearningRatePolicy.self, forKey: .schedule) {
            self.schedule = schedule
        } else {
            schedule = .plateau(
                monitor: .trainingLoss, factor: try container.decode(Double.self, forKey: .plateauFactor),
                patience: try container.decode(Int.self, forKey: .plateauPatience))
        }
        if let stopping = try container.decodeIfPresent(StoppingRule.self, forKey: .stopping) {
            self.stopping = stopping
        } else {
            stopping = try container.decodeIfPresent(Int.self, forKey: .earlyStopPatience).map { .validationAboveTraining(patience: $0) } ?? .never
        }
        emaDecay = try container.decodeIfPresent(Double.self, forKey: .emaDecay)
        if let clipping = try container.decodeIfPresent(GradientClipping.self, forKey: .clipping) {
            self.clipping = clipping
        } else {
            clipping = try container.decodeIfPresent(Double.self, forKey: .gradientClip).map { .globalNorm(maxNorm: $0) }
        }
        checkpointEverySteps = try container.decode(Int.self, forKey: .checkpointEverySteps)
        seed = try container.decode(UInt64.self, forKey: .seed)
    }

    /// Encodes the current layout (`optimizer`, `schedule`, `stopping`; never the earlier keys).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(learningRate, forKey: .learningRate)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(maxEpochs, forKey: .maxEpochs)
        try container.encodeIfPresent(maxSteps, forKey: .maxSteps)
        try container.encode(validationFraction, forKey: .validationFraction)
        try container.encode(optimizer, forKey: .optimizer)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(stopping, forKey: .stopping)
        try container.encodeIfPresent(emaDecay, forKey: .emaDecay)
        try container.encodeIfPresent(clipping, forKey: .clipping)
        try container.encode(checkpointEverySteps, forKey: .checkpointEverySteps)
        try container.encode(seed, forKey: .seed)
    }

    /// Throws ``ModelError/invalidConfig(_:)`` naming the first field out of range.
    public func validate() throws {
        func fail(_ message: String) -> ModelError { .invalidConfig(message) }
        try policies.validate(field: "training")
        guard batchSize >= 1 else { throw fail("training.batchSize must be at least 1, got \(batchSize)") }
        guard maxEpochs >= 1 else { throw fail("training.maxEpochs must be at least 1, got \(maxEpochs)") }
        if let maxSteps, maxSteps < 1 { throw fail("training.maxSteps must be at least 1, got \(maxSteps)") }
        guard validationFraction > 0, validationFraction < 1 else {
            throw fail("training.validationFraction must lie strictly between 0 and 1, got \(validationFraction)")
        }
        try stopping.validate()
        guard checkpointEverySteps >= 1 else { throw fail("training.checkpointEverySteps must be at least 1") }
    }
}
