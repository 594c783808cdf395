import Foundation

/// Where the weights of a checkpoint came from: stored as JSON under `provenance` in its metadata.
public struct CheckpointProvenance: Codable, Equatable, Sendable {
    /// What wrote the checkpoint: `train`, `import` or `distill`.
    public var producer: String
    /// The file the weights were read from (import) or the run folder (train), when known.
    public var source: String?
    /// When the checkpoint was written, ISO 8601.
    public var date: String
    /// Optimizer steps behind the weights (train).
    public var step: Int?
    /// The validation loss of these weights (train).
    public var validationLoss: Double?
    /// `ema` or `raw` (train).
    public var weights: String?
    /// Free-form details (the reference key layout of an import, the state dict used inside a `.pth`).
    public var details: [String: String]
    /// The CaloForge version that wrote the checkpoint.
    public var caloforgeVersion: String

    /// A provenance record dated now.
    public init(
        producer: String, source: String? = nil, date: Date = Date(), step: Int? = nil, validationLoss: Double? = nil,
        weights: String? = nil, details: [String: String] = [:]
    ) {
        self.producer = producer
        self.source = source
        self.date = ISO8601DateFormatter().string(from: date)
        self.step = step
        self.validationLoss = validationLoss
        self.weights = weights
        self.details = details
        caloforgeVersion = CaloForgeVersion.string
    }

    /// The record as compact JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
