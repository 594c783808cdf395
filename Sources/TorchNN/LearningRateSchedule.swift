import Foundation

/// Learning rate as a pure function of the step (constant, cosine with warm-up).
public protocol LearningRateSchedule: Codable, Sendable {
    func learningRate(at step: Int) -> Double
}

public struct ConstantSchedule: LearningRateSchedule, Equatable {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public func learningRate(at step: Int) -> Double { value }
}

/// Linear warm-up over the first `warmupSteps` steps (peak·(step + 1)/warmupSteps, reaching `peak` at
/// step warmupSteps − 1), then cosine decay from `peak` to `minimum` at `totalSteps`.
public struct CosineWarmupSchedule: LearningRateSchedule, Equatable {
    public var peak: Double
    public var warmupSteps: Int
    public var totalSteps: Int
    public var minimum: Double

    public init(peak: Double, warmupSteps: Int, totalSteps: Int, minimum: Double = 0) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.minimum = minimum
    }

    public func learningRate(at step: Int) -> Double {
        if step < warmupSteps { return peak * Double(step + 1) / Double(warmupSteps) }
        let span = max(totalSteps - warmupSteps, 1)
        let progress = min(Double(step - warmupSteps) / Double(span), 1)
        return minimum + (peak - minimum) * 0.5 * (1 + Foundation.cos(Double.pi * progress))
    }
}

/// Lowers the learning rate by `factor` when a monitored metric (e.g. validation loss) stops
/// improving for more than `patience` observations, as PyTorch's `ReduceLROnPlateau`
/// (mode "min", relative threshold). Its whole state is `Codable`, so training resumes exactly.
public struct ReduceOnPlateau: Codable, Equatable, Sendable {
    public var factor: Double
    public var patience: Int
    public var threshold: Double
    public var cooldown: Int
    public var minimum: Double
    public private(set) var best: Double = .infinity
    public private(set) var badObservations = 0
    public private(set) var cooldownLeft = 0

    public init(factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4, cooldown: Int = 0, minimum: Double = 0) {
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.cooldown = cooldown
        self.minimum = minimum
    }

    // `best` starts at +∞, which JSON cannot represent (JSONEncoder throws), so it is written only
    // once a metric has been seen; a missing `best` decodes as +∞.
    private enum CodingKeys: String, CodingKey {
        case factor, patience, threshold, cooldown, minimum, best, badObservations, cooldownLeft
    }

    /// Decodes the settings and progress written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        factor = try container.decode(Double.self, forKey: .factor)
        patience = try container.decode(Int.self, forKey: .patience)
        threshold = try container.decode(Double.self, forKey: .threshold)
        cooldown = try container.decode(Int.self, forKey: .cooldown)
        minimum = try container.decode(Double.self, forKey: .minimum)
        best = try container.decodeIfPresent(Double.self, forKey: .best) ?? .infinity
        badObservations = try container.decode(Int.self, forKey: .badObservations)
        cooldownLeft = try container.decode(Int.self, forKey: .cooldownLeft)
    }

    /// Encodes the settings and progress; `best` is omitted while it is still +∞.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(factor, forKey: .factor)
        try container.encode(patience, forKey: .patience)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(cooldown, forKey: .cooldown)
        try container.encode(minimum, forKey: .minimum)
        if best != .infinity { try container.encode(best, forKey: .best) }
        try container.encode(badObservations, forKey: .badObservations)
        try container.encode(cooldownLeft, forKey: .cooldownLeft)
    }

    /// Records a metric value and returns the learning rate to use from now on.
    public mutating func observe(_ metric: Double, learningRate: Double) -> Double {
        if metric < best * (1 - threshold) {
            best = metric
            badObservations = 0
        } else {
            badObservations += 1
        }
        if cooldownLeft > 0 {
            cooldownLeft -= 1
            badObservations = 0
        }
        guard badObservations > patience else { return learningRate }
        cooldownLeft = cooldown
        badObservations = 0
        let lowered = Swift.max(learningRate * factor, minimum)
        return learningRate - lowered > 1e-8 ? lowered : learningRate
    }
}
