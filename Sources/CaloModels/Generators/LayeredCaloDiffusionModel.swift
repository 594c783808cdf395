import CaloData
import Diffusion
import Foundation
import Torch
import TorchNN

/// The newest CaloDiffusion's two-stage generator (reference `LayerDiffusion`, spec/models.md §A.15), sampled as
/// the reference's `LayerDiffusion.generate` samples it:
///
/// 1. the layer model generates the standardised layer variables v = [totalE', layer'_1 … layer'_N] given c_E
///    (DDIM, η = 0, over the cosine levels of ``LayeredCaloDiffusionConfig/layerSamplingSteps``),
/// 2. the U-Net generates the shower in diffusion space given [c_E, v] (the user's sampler; DDIM by default),
/// 3. the voxels go back through the inverse preprocessing (§A.2), negative voxels become 0, and each layer is
///    rescaled to the energy of v (``LayerEnergyRescaling``); voxels below ``LayeredCaloDiffusionConfig/minimumEnergy``
///    become 0.
///
/// Both networks are EDM-preconditioned (σ_data, time input ½·ln σ): D(x; σ) = c_skip·x + c_out·F(c_in·x, ½·ln σ, c).
/// c_E = log10(energyScale·E_inc/E_min)/log10(E_max/E_min) (``LayeredCaloDiffusionConfig/energyCondition(for:)``).
/// CaloForge samples these models but does not train them (``loss(_:generator:)`` throws).
public final class LayeredCaloDiffusionModel: ShowerGenerator {
    public static let modelKind = LayeredCaloDiffusionConfig.modelKind

    public let config: LayeredCaloDiffusionConfig
    public let networks: LayeredCaloDiffusionNetworks
    public let geometry: Geometry
    /// The voxel preprocessing (CaloDiffusion's, §A.2) with c_E as its condition.
    public let pipeline: TransformPipeline
    /// The layer model's variables.
    public let variables: LayerLogitNormVariables
    /// The per-layer rescaling after generation.
    public let rescaling: LayerEnergyRescaling
    public let device: Device

    public var module: Module { networks }
    public var configuration: any GeneratorConfiguration { config }

    /// A model of `config` with fresh weights drawn from `generator` (layer network first), on `device`.
    public init(config: LayeredCaloDiffusionConfig, device: Device = .cpu, generator: Generator) throws {
        try config.validate()
        self.config = config
        self.device = device
        geometry = try config.network.resolvedGeometry()
        var pipeline = try TransformPipeline.caloDiffusion(for: geometry)
        pipeline.condition = try config.energyCondition(for: geometry)
        self.pipeline = pipeline
        variables = try LayerLogitNormVariables(
            layerCount: config.layerCount, maxDeposit: try EnergyNormalization.maxDeposit(for: geometry),
            constants: config.layerConstants)
        rescaling = try LayerEnergyRescaling(geometry: geometry)
        networks = try withDevice(device) {
            LayeredCaloDiffusionNetworks(
                layerModel: try LayerDiffusionNetwork(config: config.layerNetwork, generator: generator),
                shape: try CaloDiffusionUNet(config: config.network, generator: generator))
        }
    }

    /// A model of `config` whose weights (`layer_model.…`, `model.…`, `NN_embed.…`) are loaded strictly.
    /// - Throws: ``ModelError/invalidCheckpoint(path:reason:)`` naming what does not fit.
    public convenience init(config: LayeredCaloDiffusionConfig, weights: [String: Tensor], path: String, device: Device = .cpu)
        throws
    {
        try self.init(config: config, device: device, generator: try Generator(seed: 0))
        do { try networks.load(stateDict: weights, strict: true) } catch {
            throw ModelError.invalidCheckpoint(path: path, reason: "\(error)")
        }
    }

    // MARK: training

    /// Always throws ``ModelError/notTrainable(modelKind:reason:)``: CaloForge imports and samples these models.
    public func loss(_ batch: ShowerBatch, generator: Generator) throws -> Tensor {
        throw ModelError.notTrainable(
            modelKind: Self.modelKind,
            reason:
                "CaloForge samples the newest CaloDiffusion's layered models imported with `caloforge import`; "
                + "train them with the reference code"
        )
    }

    // MARK: the two networks as the Diffusion module sees them

    /// The layer model's denoiser: F(c_in·x, ½·ln σ, c_E) with `condition.incidentEnergy` = c_E `[B, 1]`.
    var layerDenoiser: EDMPreconditioner {
        get throws {
            try EDMPreconditioner(sigmaData: config.sigmaData, noiseInput: .halfLogSigma, networkDType: .float32) {
                [networks] x, noiseLevel, condition in
                try networks.layerModel(x, time: noiseLevel, energy: condition.incidentEnergy)
            }
        }
    }

    /// The U-Net's denoiser: F(c_in·x, ½·ln σ, [c_E, v]) with `condition.incidentEnergy` = c_E `[B, 1]` and
    /// `condition.layerEnergies` = v `[B, N + 1]`.
    var shapeDenoiser: EDMPreconditioner {
        get throws {
            try EDMPreconditioner(sigmaData: config.sigmaData, noiseInput: .halfLogSigma, networkDType: .float32) {
                [networks] x, noiseLevel, condition in
                guard let layers = condition.layerEnergies else {
                    throw ModelError.wrongLayerEnergyShape(input: "layer variables", expected: "[B, N + 1]", actual: [])
                }
                let energy = try Tensor.cat(
                    [condition.incidentEnergy, try layers.to(dtype: condition.incidentEnergy.dtype)], dim: 1)
                return try networks.shape(x: x, noiseLevel: noiseLevel, energy: energy)
            }
        }
    }

    // MARK: sampling

    /// DDIM with ``LayeredCaloDiffusionConfig/samplingSteps``, as the reference's `inference.py` samples.
    public var defaultSampler: SamplerSettings { SamplerSettings("ddim", steps: config.samplingSteps) }

    /// Throws ``ModelError/tooFewSteps(steps:minimum:)`` unless the U-Net's steps exceed the skipped levels + 1,
    /// and whatever the sampler settings are refused for.
    public func checkSampling(_ sampler: SamplerSettings) throws {
        let steps = sampler.steps ?? config.samplingSteps
        let minimum = Swift.max(2, config.samplingOffset + 2)
        guard steps >= minimum else { throw ModelError.tooFewSteps(steps: steps, minimum: minimum) }
        _ = try sampler.makeSampler()
        _ = try shapeLevels(sampler)
    }

    /// The reference's levels for `steps`: σ_t = √((1 − ᾱ_t)/ᾱ_t) of the cosine schedule rebuilt for `steps`
    /// (§A.4), t = T − 1 … 0, then 0, without the first ``LayeredCaloDiffusionConfig/samplingOffset``.
    func nativeLevels(steps: Int) throws -> [Double] {
        Array(try DDPMSchedule.cosine(stepCount: steps).samplingSigmas.dropFirst(config.samplingOffset))
    }

    /// The U-Net's levels: the native ones for the sampler's steps, or Karras levels between them with `rho`.
    func shapeLevels(_ sampler: SamplerSettings) throws -> [Double] {
        var onNative = sampler
        onNative.steps = nil
        return try onNative.levels(native: try nativeLevels(steps: sampler.steps ?? config.samplingSteps))
    }

    /// c_E `[B, 1]` for incident energies `[B, 1]` (MeV).
    func energyCondition(_ incidentEnergies: Tensor) throws -> Tensor {
        try pipeline.conditioning(incidentEnergies: incidentEnergies)
    }

    /// Runs `sampler` from the standard-normal `start` (scaled to the VP state at the first level, which is the
    /// reference's x = σ_max·start in its x/√ᾱ state); returns the clean sample and the network evaluations.
    func run(
        _ denoiser: EDMPreconditioner, start: Tensor, sigmas: [Double], sampler: any Sampler, condition: DiffusionCondition,
        generator: Generator, progress: SamplerStepCallback?
    ) throws -> (Tensor, Int) {
        let counting = CountingDenoiser(denoiser)
        let first = sigmas[0]
        let x = try sampler.sample(
            counting, noise: try start * (first / (1 + first * first).squareRoot()), sigmas: sigmas, condition: condition,
            generator: generator, onStep: progress)
        return (x, counting.evaluations)
    }

    /// Generates one shower per incident energy (MeV, `[B]` or `[B, 1]`): layer variables, then the shower,
    /// then inverse preprocessing and layer rescaling. All noise is drawn from `generator` (the U-Net's start
    /// first, then the layer model's, as the reference draws them). Returns `[B, voxels]` float32 MeV.
    public func sample(
        incidentEnergies: Tensor, sampler: SamplerSettings, generator: Generator, progress: SamplerStepCallback?
    ) throws -> GeneratedShowers {
        let batch = incidentEnergies.dim(0)
        let shapeStart = try Tensor.randn(
            [batch] + networks.shape.sampleShape, dtype: .float64, device: device, generator: generator)
        let layerStart = try Tensor.randn([batch, variables.count], dtype: .float64, device: device, generator: generator)
        return try generate(
            incidentEnergies: incidentEnergies, layerStart: layerStart, shapeStart: shapeStart, sampler: sampler,
            generator: generator, progress: progress
        ).showers
    }

    /// What one generation produced: the layer model's variables `[B, N + 1]`, the layer energies they give
    /// (MeV, `[B, N]`) and the showers.
    struct Generation {
        var layerVariables: Tensor
        var layerEnergies: Tensor
        var showers: GeneratedShowers
    }

    /// ``sample(incidentEnergies:sampler:generator:progress:)`` from given standard-normal starts: `layerStart`
    /// `[B, N + 1]` and `shapeStart` `[B, …sampleShape]` (their dtype is the samplers' state dtype).
    func generate(
        incidentEnergies: Tensor, layerStart: Tensor, shapeStart: Tensor, sampler settings: SamplerSettings, generator: Generator,
        progress: SamplerStepCallback?
    ) throws -> Generation {
        try checkSampling(settings)
        let batch = incidentEnergies.dim(0)
        let energies = try incidentEnergies.reshaped([batch, 1]).to(dtype: .float32, device: device)
        networks.eval()
        defer { networks.train() }
        return try withNoGrad {
            let energyCondition = try energyCondition(energies)
            let (layerVariables, layerEvaluations) = try run(
                try layerDenoiser, start: layerStart, sigmas: try nativeLevels(steps: config.layerSamplingSteps),
                sampler: DDIMSampler(eta: 0), condition: DiffusionCondition(incidentEnergy: energyCondition),
                generator: generator, progress: nil)
            let (x, shapeEvaluations) = try run(
                try shapeDenoiser, start: shapeStart, sigmas: try shapeLevels(settings), sampler: try settings.makeSampler(),
                condition: DiffusionCondition(
                    incidentEnergy: energyCondition, layerEnergies: try layerVariables.to(dtype: .float32)),
                generator: generator, progress: progress)
            let flat = try x.to(dtype: .float32).reshaped([batch, geometry.voxelCount])
            let layerEnergies = try variables.inverse(layerVariables, incidentEnergies: try energies.to(dtype: .float64))
            let rescaled = try rescaling(
                try pipeline.inverse(flat, incidentEnergies: energies), layerEnergies: layerEnergies, incidentEnergies: energies)
            let showers = try rescaled.maskedFill(try rescaled .< config.minimumEnergy, 0)
            return Generation(
                layerVariables: layerVariables, layerEnergies: layerEnergies,
                showers: GeneratedShowers(showers: showers, networkEvaluations: layerEvaluations + shapeEvaluations))
        }
    }

    // MARK: checkpoints

    /// Kind, configuration, preprocessing and version: enough to rebuild the model from a checkpoint.
    public var checkpointMetadata: [String: String] {
        var metadata = pipeline.metadata()
        metadata["format"] = ModelCheckpoint.format
        metadata[ModelCheckpoint.modelKey] = Self.modelKind
        metadata["geometry"] = geometry.name
        metadata[ModelCheckpoint.configurationKey] = (try? config.prettyJSON()) ?? ""
        metadata["caloforge_version"] = CaloForgeVersion.string
        return metadata
    }

    /// A model from a checkpoint of kind `layered-calodiffusion` (both networks loaded strictly). The
    /// preprocessing is rebuilt from the configuration (it has no fitted statistics).
    public convenience init(checkpoint: ModelCheckpoint, device: Device = .cpu) throws {
        let config = try checkpoint.configuration(as: LayeredCaloDiffusionConfig.self)
        try self.init(config: config, weights: checkpoint.tensors, path: checkpoint.path, device: device)
    }
}
