import Diffusion
import Foundation
import Torch

/// What a checkpoint is, for `caloforge inspect`: its model, configuration, size and provenance.
public struct CheckpointSummary: Codable, Sendable {
    public var path: String
    public var modelKind: String
    public var configurationName: String
    public var geometry: String
    public var parameters: Int
    public var tensors: Int
    public var isTrainingState: Bool
    public var defaultSampler: SamplerSettings
    public var provenance: CheckpointProvenance?
    /// The metadata keys of the preprocessing statistics (`preprocessing.…`).
    public var preprocessing: [String]
    /// The full configuration, as stored.
    public var configuration: String

    /// Reads `url` and builds the generator it holds (on the CPU) to describe it.
    public init(checkpointAt url: URL) throws {
        let checkpoint = try ModelCheckpoint.read(url)
        let generator = try GeneratorRegistry.entry(modelKind: checkpoint.modelKind).load(checkpoint, .cpu)
        path = url.path
        modelKind = checkpoint.modelKind
        configurationName = generator.configuration.name
        geometry = generator.geometry.name
        parameters = generator.parameterCount
        tensors = checkpoint.tensors.count
        isTrainingState = checkpoint.isTrainingState
        defaultSampler = generator.defaultSampler
        provenance = checkpoint.provenance
        preprocessing = checkpoint.metadata.keys.filter { $0.hasPrefix("preprocessing") }.sorted()
        configuration = try generator.configuration.prettyJSON()
    }
}
