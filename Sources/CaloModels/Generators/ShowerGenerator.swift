import CaloData
import Diffusion
import Foundation
import Torch
import TorchNN

/// A trained (or trainable) shower generator: what `caloforge train`, `sample`, `bench`, `import` and `inspect`
/// work with, through the ``GeneratorRegistry``, without naming a concrete model.
///
/// A generator owns one or more networks (all children of ``TrainableShowerModel/module``: a layer-energy and a
/// shape network, a flow and a point network, a teacher and a student), their preprocessing and their diffusion
/// process. A new model family is a type conforming to this protocol plus one ``GeneratorEntry`` in the registry.
public protocol ShowerGenerator: TrainableShowerModel {
    /// The model kind, written as the checkpoint's `model` metadata.
    static var modelKind: String { get }
    /// The configuration the generator was built from.
    var configuration: any GeneratorConfiguration { get }
    /// The calorimeter geometry of the generated showers.
    var geometry: Geometry { get }
    /// Where the networks' parameters live.
    var device: Device { get }
    /// The sampler and step count used when the user names none.
    var defaultSampler: SamplerSettings { get }
    /// Throws when `sampler` cannot sample this model (too few steps, a sampler it cannot run), before any work.
    func checkSampling(_ sampler: SamplerSettings) throws
    /// Generates one shower per incident energy (MeV, `[B]` or `[B, 1]`) with `sampler`, drawing all noise from
    /// `generator`; `progress` is called after every sampler step.
    func sample(
        incidentEnergies: Tensor, sampler: SamplerSettings, generator: Generator, progress: SamplerStepCallback?
    ) throws -> GeneratedShowers
}

extension ShowerGenerator {
    /// The model kind of this generator's type.
    public var modelKind: String { Self.modelKind }

    /// Trainable parameters over all networks.
    public var parameterCount: Int { module.parameterCount }

    /// Generates showers without a progress callback.
    public func sample(incidentEnergies: Tensor, sampler: SamplerSettings, generator: Generator) throws -> GeneratedShowers {
        try sample(incidentEnergies: incidentEnergies, sampler: sampler, generator: generator, progress: nil)
    }

    /// Writes a sampling checkpoint: every network's weights under their state-dict keys, and as metadata the
    /// ``TrainableShowerModel/checkpointMetadata`` (kind, configuration, preprocessing, version) and `provenance`.
    public func save(to url: URL, provenance: CheckpointProvenance) throws {
        var metadata = checkpointMetadata
        metadata[ModelCheckpoint.provenanceKey] = try provenance.json()
        try Safetensors.save(module.stateDict(), metadata: metadata, to: url)
    }
}
