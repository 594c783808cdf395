import CaloData
import Diffusion
import Foundation
import Torch
import TorchNN

/// A CaloDiffusion generator: the U-Net, its preprocessing (spec/models.md §A.2) and its diffusion
/// process (§A.4–§A.5, §A.12–§A.13) bound together so it can be trained, saved, loaded and sampled.
public final class CaloDiffusionModel: TrainableShowerModel {
    public static let checkpointKind = "calodiffusion"

    public let config: CaloDiffusionModelConfig
    public let network: CaloDiffusionUNet
    public let geometry: Geometry
    public let pipeline: TransformPipeline
    public let schedule: DDPMSchedule
    /// Where the network's parameters live.
    public let device: Device

    public var module: Module { network }

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

    private init(config: CaloDiffusionModelConfig, pipeline: TransformPipeline, device: Device) throws {
        try config.validate()
        self.config = config
        self.device = device
        geometry = try config.network.resolvedGeometry()
        self.pipeline = pipeline
        schedule = try DDPMSchedule.cosine(stepCount: config.diffusionSteps)
        let generator = try Generator(seed: 0)
        network = try withDevice(device) { try CaloDiffusionUNet(config: config.network, generator: generator) }
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
        switch config.objective {
        case .epsilon: return try EpsilonLoss(schedule: schedule)(diffusionNetwork, clean: clean, condition: condition, generator: generator)
        case .hybrid: return try HybridLoss(schedule: schedule)(diffusionNetwork, clean: clean, condition: condition, generator: generator)
        }
    }

    /// Generates one shower per incident energy (MeV, `[B]` or `[B, 1]`): noise → sampler → inverse
    /// preprocessing → voxels below ``CaloDiffusionModelConfig/minimumEnergy`` set to 0. Returns
    /// `[B, voxels]` float32 MeV on the model's device.
    public func sample(
        incidentEnergies: Tensor, sampler kind: SamplerKind = .ddpm, steps: Int? = nil, generator: Generator,
        onStep: SamplerStepCallback? = nil
    ) throws -> Tensor {
        let batch = incidentEnergies.dim(0)
        let energies = try incidentEnergies.reshaped([batch, 1]).to(dtype: .float32, device: device)
        let stepCount = steps ?? config.samplingSteps
        let condition = DiffusionCondition(incidentEnergy: try pipeline.conditioning(incidentEnergies: energies).reshaped([batch]))
        return try withNoGrad {
            // The sampler state is float64 (tiny σ steps stay exact); the network runs in float32.
            let noise = try Tensor.randn([batch] + (try config.network.sampleShape()), dtype: .float64, device: device, generator: generator)
            let x = try sampleDiffusionSpace(noise: noise, condition: condition, sampler: kind, steps: stepCount,
                                             generator: generator, onStep: onStep)
            let flat = try x.to(dtype: .float32).reshaped([batch, geometry.voxelCount])
            let showers = try pipeline.inverse(flat, incidentEnergies: energies)
            return try showers.maskedFill(try showers .< config.minimumEnergy, 0)
        }
    }

    /// Throws ``ModelError/tooFewSteps(steps:minimum:)`` unless `steps` sampling steps can sample
    /// this model (more than ``CaloDiffusionModelConfig/samplingOffset`` + 1), so that a command can
    /// refuse them before it writes anything.
    public func checkSampling(steps: Int) throws {
        let minimum = Swift.max(2, config.samplingOffset + 2)
        guard steps >= minimum else { throw ModelError.tooFewSteps(steps: steps, minimum: minimum) }
    }

    /// The reverse diffusion alone: from x_T = `noise` (its dtype is the sampler state's) to the clean
    /// sample in diffusion space, `[B, 1, …]` — what the reference's `CaloDiffu.Sample` returns.
    func sampleDiffusionSpace(
        noise: Tensor, condition: DiffusionCondition, sampler kind: SamplerKind, steps stepCount: Int,
        generator: Generator, onStep: SamplerStepCallback? = nil
    ) throws -> Tensor {
        try checkSampling(steps: stepCount)
        // Every sampler starts `samplingOffset` levels below the top of the rebuilt schedule: at the
        // very first levels ᾱ ≈ 1e-9, and any sampler's clean-sample estimate (x − √(1−ᾱ)·ε̂)/√ᾱ
        // multiplies ε̂ errors by up to 1e4 (spec/models.md §A.12 gives the reason for DDPM; it holds
        // for DDIM and the ODE samplers alike).
        let sigmas = Array(try schedule.rebuilt(stepCount: stepCount).samplingSigmas.dropFirst(config.samplingOffset))
        network.eval()
        defer { network.train() }
        return try withNoGrad {
            let sampler = kind.makeSampler(offset: 0)
            switch config.objective {
            case .epsilon:
                return try sampler.sample(EpsilonDenoiser(networkDType: .float32, network: diffusionNetwork), noise: noise, sigmas: sigmas,
                                          condition: condition, generator: generator, onStep: onStep)
            case .hybrid:
                return try sampler.sample(HybridDenoiser(networkDType: .float32, network: diffusionNetwork), noise: noise, sigmas: sigmas,
                                          condition: condition, generator: generator, onStep: onStep)
            }
        }
    }

    // MARK: checkpoints

    /// Configuration and preprocessing statistics, enough to rebuild the model from a checkpoint.
    public var checkpointMetadata: [String: String] {
        var metadata = pipeline.metadata()
        metadata["format"] = "caloforge-model"
        metadata["model"] = Self.checkpointKind
        metadata["geometry"] = geometry.name
        metadata["config"] = (try? config.json()) ?? ""
        return metadata
    }

    /// Writes a sampling checkpoint (weights plus metadata) atomically.
    public func save(to url: URL, extraMetadata: [String: String] = [:]) throws {
        try Safetensors.save(network.stateDict(), metadata: checkpointMetadata.merging(extraMetadata) { $1 }, to: url)
    }

    /// Loads a model from a checkpoint written by ``save(to:extraMetadata:)``, by `caloforge train`
    /// (`best.safetensors`, or `last.safetensors`, whose EMA weights are used when present) or by
    /// `caloforge import`.
    public static func load(from url: URL, device: Device = .cpu) throws -> CaloDiffusionModel {
        let file = try Safetensors.open(url)
        func fail(_ reason: String) -> ModelError { .invalidCheckpoint(path: url.path, reason: reason) }
        guard file.metadata["model"] == checkpointKind, let json = file.metadata["config"] else {
            throw fail("is not a CaloDiffusion checkpoint (no 'model: \(checkpointKind)' metadata); use a file written by caloforge train, sample or import")
        }
        let config: CaloDiffusionModelConfig
        do { config = try JSONDecoder().decode(CaloDiffusionModelConfig.self, from: Data(json.utf8)) } catch {
            throw fail("its configuration cannot be read (\(error))")
        }
        let pipeline = try TransformPipeline(metadata: file.metadata)
        let model = try CaloDiffusionModel(config: config, pipeline: pipeline, device: device)
        let all = try file.tensors()
        var weights: [String: Tensor] = [:]
        // A training checkpoint (last.safetensors) prefixes the weights with "model." and carries optimizer state.
        if file.metadata["optimizer.kind"] != nil {
            for (key, t) in all where key.hasPrefix("model.") { weights[String(key.dropFirst(6))] = t }
            for (key, t) in all where key.hasPrefix("ema.") { weights[String(key.dropFirst(4))] = t }
        } else {
            weights = all
        }
        try CheckpointValues.checkFinite(weights, path: url.path)
        do { try model.network.load(stateDict: weights, strict: true) } catch { throw fail("\(error)") }
        return model
    }
}
