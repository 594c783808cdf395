/// How one trained part is optimised: optimizer, starting learning rate, its schedule, gradient
/// clipping and an optional EMA of its weights. ``TrainingConfig/policies`` gives a single-network
/// model's; a model with several networks gives each part its own.
public struct TrainingPolicies: Codable, Equatable, Sendable {
    public var optimizer: OptimizerChoice
    /// The learning rate the schedule starts from (the peak of a cosine schedule).
    public var learningRate: Double
    public var schedule: LearningRatePolicy
    /// Gradient clipping before each step (nil: off).
    public var clipping: GradientClipping?
    /// Decay of an exponential moving average of the part's weights (nil: off); best.safetensors holds
    /// the EMA weights when on.
    public var emaDecay: Double?

    public init(optimizer: OptimizerChoice = .standard, learningRate: Double, schedule: LearningRatePolicy = .standard,
                clipping: GradientClipping? = nil, emaDecay: Double? = nil) {
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.schedule = schedule
        self.clipping = clipping
        self.emaDecay = emaDecay
    }

    /// Throws ``ModelError/invalidConfig(_:)`` naming the first setting out of range; `field` prefixes it.
    public func validate(field: String) throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw ModelError.invalidConfig("\(field).learningRate must be positive, got \(learningRate)")
        }
        try schedule.validate(field: "\(field).schedule")
        if let clipping, !(clipping.maxNorm > 0) {
            throw ModelError.invalidConfig("\(field).clipping maxNorm must be positive, got \(clipping.maxNorm)")
        }
        if let emaDecay, !(emaDecay > 0 && emaDecay < 1) {
            throw ModelError.invalidConfig("\(field).emaDecay must lie in (0, 1), got \(emaDecay)")
        }
    }
}
