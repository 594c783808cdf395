/// How one trained part is optimised: optimizer, starting learning rate, its schedule, gradient
/// clipping and an optional EMA of its weights. ``TrainingConfig/policies`` gives a single-network
/// model's; a model with several networks gives each part its own.
public struct TrainingPolicies: Codable, Equatable, Sendable {
    public var optimizer: OptimizerChoice
    /// The learning rate the schedule starts from (the peak of a cosine schedule).
    public var learningRate: Double
    public var schedule: LearningRatePolicy
    /// Clip the part's global gradient norm to this value before each step (nil: off).
    public var gradientClip: Double?
    /// Decay of an exponential moving average of the part's weights (nil: off); best.safetensors holds
    /// the EMA weights when on.
    public var emaDecay: Double?

    public init(optimizer: OptimizerChoice = .standard, learningRate: Double, schedule: LearningRatePolicy = .standard,
                gradientClip: Double? = nil, emaDecay: Double? = nil) {
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.schedule = schedule
        self.gradientClip = gradientClip
        self.emaDecay = emaDecay
    }

    /// Throws ``ModelError/invalidConfig(_:)`` naming the first setting out of range; `field` prefixes it.
    public func validate(field: String) throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw ModelError.invalidConfig("\(field).learningRate must be positive, got \(learningRate)")
        }
        try schedule.validate(field: "\(field).schedule")
        if let gradientClip, !(gradientClip > 0) {
            throw ModelError.invalidConfig("\(field).gradientClip must be positive, got \(gradientClip)")
        }
        if let emaDecay, !(emaDecay > 0 && emaDecay < 1) {
            throw ModelError.invalidConfig("\(field).emaDecay must lie in (0, 1), got \(emaDecay)")
        }
    }
}
