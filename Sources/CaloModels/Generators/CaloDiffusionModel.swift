import CaloData
import Diffusion
import Foundation
import Torch
import TorchNN

/// A CaloDiffusion generator: the U-Net, its preprocessing (spec/models.md §A.2) and its diffusion
/// process (§A.4–§A.5, §A.12–§A.13) bound together so it can be trained, saved, loaded and sampled.
public final class CaloDiffusionModel: ShowerGenerator {
    public static let modelKind = CaloDiffusionModelConfig.modelKind

    public let config: CaloDiffusionModelConfig
    public let network: CaloDiffusionUNet
    public let geometry: Geometry
    public let pipeline: TransformPipeline
    public let schedule: DDPMSchedule
    /// Where the network's parameters live.
    public let device: Device

    public var module: Module { network }
    public var configuration: any GeneratorConfiguration { config }

    /// A new model with freshly initialised weights (drawn from `generator`) on `device`.
    public init(config: CaloDiffusionModelConfig, device: Device = .cpu, generator: Generator) throws {
        try config.validate()
        self.config = config
        self.device = device
        geometry = try config.network.resolvedGeometry()
        pipeline = try TransformPipeline.caloDiffusion(for: geometry)
        schedule = try DDPMSchedule.cosine(stepCount: config.diffusionSteps)
        network = try withDevice(device) { try CaloDiffusionUNet(config: config.network, generator: generator) }
    }

    /// A model of `config` with `pipeline`, whose weights are then loaded from `weights` (strictly).
    init(config: CaloDiffusionModelConfig, pipeline: TransformPipeline, weights: [String: Tensor], path: String, device: Device) throws {
        try config.validate()
        self.config = config
        self.device = device
        geometry = try config.network.resolvedGeometry()
        self.pipeline = pipeline
        schedule = try DDPMSchedule.cosine(stepCount: config.diffusionSteps)
        let generator = try Generator(seed: 0)
        network = try withDevice(device) { try CaloDiffusionUNet(config: config.network, generator: generator) }
        do { try network.load(stateDict: weights, strict: true) } catch {
            throw ModelError.invalidCheckpoint(path: path, reason: "\(error)")
        }
    }

    /// The network as the Diffusion module sees it: F(x_t, √(1−ᾱ_t), condition).
    var diffusionNetwork: DiffusionNetwork {
        { [network] x, noiseLevel, condition in try network(x: x, noiseLevel: noiseLevel, energy: condition.incidentEnergy) }
    }

    /// Showers `[B, voxels]` and incident energies `[B, 1]` (MeV) → clean diffusion-space samples and condition.
    func diffusionSpace(showers: Tensor, incidentEnergies: Tensor) throws -> (clean: Tensor, condition: DiffusionCondition) {
        let batch = showers.dim(0)
        let transformed = try pipeline.forward(showers: showers, incidentEnergies: incidentEnergies)
        let clean = try transformed.reshaped([batch] + (try config.network.sampleShape()))
        let energy = try pipeline.conditioning(incidentEnergies: incidentEnergies).reshaped([batch])
        return (clean, DiffusionCondition(incidentEnergy: energy))
    }

    /// The training objective of one batch (ε-MSE, or the hybrid loss for ds3), fresh noise from `generator`.
    public func loss(_ batch: ShowerBatch, generator: Generator) throws -> Tensor {
        let (clean, condition) = try diffusionSpace(showers: batch.showers, incidentEnergies: batch.incidentEnergies)
        return try config.objective.trainingObjective(schedule: schedule)
            .loss(diffusionNetwork, clean: clean, condition: condition, generator: generator)
    }

    /// CaloDiffusion's own sampler: ancestral DDPM with the configuration's step count.
    public var defaultSampler: SamplerSettings { SamplerSettings("ddpm", steps: config.samplingSteps) }

    /// Generates one shower per incident energy (MeV, `[B]` or `[B, 1]`): noise → sampler → inverse
    /// preprocessing → voxels below ``CaloDiffusionModelConfig/minimumEnergy`` set to 0. Returns
    /// `[B, voxels]` float32 MeV on the model's device and the network evaluations made.
    public func sample(
        incidentEnergies: Tensor, sampler: SamplerSettings, generator: Generator, progress: SamplerStepCallback?
    ) throws -> GeneratedShowers {
        let batch = incidentEnergies.dim(0)
        let energies = try incidentEnergies.reshaped([batch, 1]).to(dtype: .float32, device: device)
        let condition = DiffusionCondition(incidentEnergy: try pipeline.conditioning(incidentEnergies: energies).reshaped([batch]))
        return try withNoGrad {
            // The sampler state is float64 (tiny σ steps stay exact); the network runs in float32.
            let noise = try Tensor.randn([batch] + (try config.network.sampleShape()), dtype: .float64, device: device, generator: generator)
            let (x, evaluations) = try sampleDiffusionSpace(
                noise: noise, condition: condition, sampler: sampler, generator: generator, onStep: progress)
            let flat = try x.to(dtype: .float32).reshaped([batch, geometry.voxelCount])
            let showers = try pipeline.inverse(flat, incidentEnergies: energies)
            return GeneratedShowers(showers: try showers.maskedFill(try showers .< config.minimumEnergy, 0), networkEvaluations: evaluations)
        }
    }

    /// Throws ``ModelError/tooFewSteps(steps:minimum:)`` unless the sampler's steps (or the configuration's)
    /// can sample this model (more than ``CaloDiffusionModelConfig/samplingOffset`` + 1), and whatever the
    /// sampler settings themselves are refused for, so that a command can refuse them before it writes anything.
    public func checkSampling(_ sampler: SamplerSettings) throws {
        let steps = sampler.steps ?? config.samplingSteps
        let minimum = Swift.max(2, config.samplingOffset + 2)
        guard steps >= minimum else { throw ModelError.tooFewSteps(steps: steps, minimum: minimum) }
        _ = try sampler.makeSampler()
        _ = try levels(sampler)
    }

    /// The noise levels `sampler` runs on: the model's own levels for its step count (the steps are already
    /// applied there, so the settings' levels keep all of them), or Karras levels between them with `rho`.
    func levels(_ sampler: SamplerSettings) throws -> [Double] {
        var onNative = sampler
        onNative.steps = nil
        return try onNative.levels(native: try nativeLevels(steps: sampler.steps ?? config.samplingSteps))
    }

    /// The model's own noise levels for `steps` sampling steps: the DDPM schedule rebuilt for that many steps
    /// (§A.4), without its first ``CaloDiffusionModelConfig/samplingOffset`` levels. Every sampler starts there:
    /// at the very first levels ᾱ ≈ 1e-9, and any sampler's clean-sample estimate (x − √(1−ᾱ)·ε̂)/√ᾱ multiplies
    /// ε̂ errors by up to 1e4 (spec/models.md §A.12 gives the reason for DDPM; it holds for DDIM and the ODE
    /// samplers alike).
    func nativeLevels(steps: Int) throws -> [Double] {
        Array(try schedule.rebuilt(stepCount: steps).samplingSigmas.dropFirst(config.samplingOffset))
    }

    /// The reverse diffusion alone: from x_T = `noise` (its dtype is the sampler state's) to the clean
    /// sample in diffusion space, `[B, 1, …]` — what the reference's `CaloDiffu.Sample` returns — and the
    /// number of network evaluations.
    func sampleDiffusionSpace(
        noise: Tensor, condition: DiffusionCondition, sampler settings: SamplerSettings, generator: Generator,
        onStep: SamplerStepCallback? = nil
    ) throws -> (sample: Tensor, networkEvaluations: Int) {
        try checkSampling(settings)
        let sigmas = try levels(settings)
        let sampler = try settings.makeSampler()
        network.eval()
        defer { network.train() }
        func run(_ denoiser: some Denoiser) throws -> (Tensor, Int) {
            let counting = CountingDenoiser(denoiser)
            let sample = try withNoGrad {
                try sampler.sample(counting, noise: noise, sigmas: sigmas, condition: condition, generator: generator, onStep: onStep)
            }
            return (sample, counting.evaluations)
        }
        return try run(config.objective.denoiser(diffusionNetwork))
    }

    // MARK: checkpoints

    /// Kind, configuration, preprocessing statistics and version: enough to rebuild the model from a checkpoint.
    public var checkpointMetadata: [String: String] {
        var metadata = pipeline.metadata()
        metadata["format"] = ModelCheckpoint.format
        metadata[ModelCheckpoint.modelKey] = Self.modelKind
        metadata["geometry"] = geometry.name
        metadata[ModelCheckpoint.configurationKey] = (try? config.json()) ?? ""
        metadata["caloforge_version"] = CaloForgeVersion.string
        return metadata
    }

    /// Loads a model from a CaloForge checkpoint: `best.safetensors` or `last.safetensors` of a run (whose EMA
    /// weights are used when present), a file of `caloforge import`, or one written by ``save(to:provenance:)``.
    public static func load(from url: URL, device: Device = .cpu) throws -> CaloDiffusionModel {
        let checkpoint = try ModelCheckpoint.read(url)
        guard checkpoint.modelKind == modelKind else {
            throw ModelError.notACheckpoint(
                path: url.path, reason: "it holds a '\(checkpoint.modelKind)' model, not a CaloDiffusion one (no 'model: \(modelKind)' metadata)")
        }
        return try CaloDiffusionModel(checkpoint: checkpoint, device: device)
    }

    /// A model from a checkpoint of kind `calodiffusion`. Checkpoints written by `caloforge import` before 0.2
    /// hold only the network configuration: the built-in model configuration of that name supplies the rest.
    public convenience init(checkpoint: ModelCheckpoint, device: Device = .cpu) throws {
        let config: CaloDiffusionModelConfig
        let pipeline: TransformPipeline
        if checkpoint.metadata["format"] == ModelCheckpoint.legacyImportFormat {
            let network = try JSONDecoder().decode(CaloDiffusionConfig.self, from: Data((checkpoint.configurationJSON ?? "").utf8))
            config = try CaloDiffusionModelConfig.forReferenceNetwork(network)
            pipeline = try TransformPipeline.caloDiffusion(for: try network.resolvedGeometry())
        } else {
            config = try checkpoint.configuration(as: CaloDiffusionModelConfig.self)
            pipeline = try TransformPipeline(metadata: checkpoint.metadata)
        }
        try self.init(config: config, pipeline: pipeline, weights: checkpoint.tensors, path: checkpoint.path, device: device)
    }
}
