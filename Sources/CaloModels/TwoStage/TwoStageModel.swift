import CaloData
import Diffusion
import Foundation
import Torch
import TorchNN

/// The two-stage generator of ``TwoStageConfig``: stage 1 generates the layer variables u given the incident
/// energy, stage 2 the layer-normalised shower given both, and ``ShowerComposition`` puts the generated
/// layer energies into the generated shape. Both stages are conditional flow matching (rectified flow,
/// velocity target, t ~ U(0, 1); spec/models.md §D) and are sampled by any ODE sampler of the catalogue.
public final class TwoStageModel: ShowerGenerator {
    public static let modelKind = TwoStageConfig.modelKind

    public let config: TwoStageConfig
    public let networks: TwoStageNetworks
    public let geometry: Geometry
    public let device: Device
    public let variables: any LayerEnergyVariables
    public let composition: ShowerComposition
    let process = RectifiedFlowProcess.standard

    public var module: Module { networks }
    public var configuration: any GeneratorConfiguration { config }

    /// A new model with fresh weights from `generator` and unfitted preprocessing.
    public init(config: TwoStageConfig, device: Device = .cpu, generator: Generator) throws {
        try config.validate()
        self.config = config
        self.device = device
        geometry = try config.resolvedGeometry()
        let layers = geometry.relevantLayers.count
        variables = try config.energyVariables.make(layers: layers, maxDeposit: config.maxDeposit)
        composition = try ShowerComposition(geometry: geometry, threshold: try config.resolvedThreshold())
        let (geometry, shape, variableCount) = (geometry, config.shapeNetwork, variables.count)
        networks = try withDevice(device) {
            TwoStageNetworks(
                energy: try EnergyFlowNetwork(
                    variables: variableCount, width: config.energyNetwork.width, depth: config.energyNetwork.depth, generator: generator),
                shape: try ShapeTransformer(
                    geometry: geometry, patch: shape.patch, width: shape.width, depth: shape.depth, heads: shape.heads,
                    mlpRatio: shape.mlpRatio, layerFeatures: variableCount, patchSkips: shape.patchSkips, generator: generator),
                energyScaling: try LogitStandardiser(features: variableCount, alpha: config.logitAlpha),
                shapeScaling: try LogitStandardiser(features: geometry.voxelCount, alpha: config.logitAlpha))
        }
    }

    // MARK: the variables of both stages

    /// ln(E_inc/1 GeV)/ln(1000): 0 at 1 GeV, 1 at 1 TeV.
    func energyCondition(_ incidentEnergies: Tensor) throws -> Tensor {
        try (incidentEnergies / 1000).log() / Foundation.log(1000)
    }

    /// Layer energies `[B, N]` → the energy network's space `[B, N]`.
    func energySpace(layerEnergies: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let u = try variables.forward(layerEnergies: layerEnergies, incidentEnergies: incidentEnergies)
        return try networks.energyScaling.forward(u)
    }

    /// Showers `[B, V]` → each layer divided by its energy (0 for empty layers), `[B, V]`.
    func layerNormalised(_ showers: Tensor, layerEnergies: Tensor) throws -> Tensor {
        let perVoxel = try geometry.expandingLayerValues(layerEnergies)
        return try `where`(perVoxel .> 0, showers / perVoxel.clamped(min: Double.leastNormalMagnitude), showers.zerosLike())
    }

    /// The shape stage's condition for layer energies `[B, N]`: the energy-network variables (global) and
    /// (ln(E_l/E_inc + 10⁻⁶) + 7)/7 per layer (per token).
    func shapeCondition(layerEnergies: Tensor, incidentEnergies: Tensor) throws -> DiffusionCondition {
        let fractions = try ((layerEnergies / incidentEnergies + 1e-6).log() + 7) / 7
        return DiffusionCondition(
            incidentEnergy: try energyCondition(incidentEnergies),
            layerEnergies: try energySpace(layerEnergies: layerEnergies, incidentEnergies: incidentEnergies), extras: [fractions])
    }

    var energyNetwork: DiffusionNetwork {
        { [networks] x, t, condition in try networks.energy(x, time: t, energy: condition.incidentEnergy) }
    }

    var shapeNetwork: DiffusionNetwork {
        { [networks] x, t, condition in
            guard let layerVariables = condition.layerEnergies, let fractions = condition.extras.first else {
                throw ModelError.invalidConfig("the shape network needs the layer energies as its condition")
            }
            return try networks.shape(x, time: t, energy: condition.incidentEnergy, layerVariables: layerVariables, layerFractions: fractions)
        }
    }

    var objective: FlowMatchingLoss { FlowMatchingLoss(process: process, timeInput: .time) }

    // MARK: training

    /// What the two stages learn from showers `[B, V]`: the layer energies `[B, N]` and the layer-normalised
    /// shapes `[B, V]`. With ``TwoStageConfig/dequantise`` each layer energy gets its own noise below the
    /// threshold (an empty layer stays below it) and each voxel its own before the layer normalisation.
    func trainingView(_ showers: Tensor, generator: Generator) throws -> (layers: Tensor, shapes: Tensor) {
        let layers = try geometry.layerEnergies(of: showers)
        guard config.dequantise else { return (layers, try layerNormalised(showers, layerEnergies: layers)) }
        let noise = Dequantisation(threshold: composition.threshold)
        let noisy = try noise(showers, generator: generator)
        return (try noise(layers, generator: generator), try layerNormalised(noisy, layerEnergies: try geometry.layerEnergies(of: noisy)))
    }

    /// Fits both stages' statistics on `training` (up to its first 20 000 showers), dequantised with noise
    /// from the run's seed.
    public func prepare(training: ShowerBatch) throws {
        try withNoGrad {
            let (layers, shapes) = try trainingView(
                try training.showers.to(dtype: .float32, device: device), generator: try Generator(seed: config.training.seed, device: device))
            let energies = try training.incidentEnergies.to(dtype: .float32, device: device)
            try networks.energyScaling.fit(try variables.forward(layerEnergies: layers, incidentEnergies: energies))
            try networks.shapeScaling.fit(shapes)
        }
    }

    /// The sum of both stages' flow-matching losses (the energy stage on ``TwoStageConfig/EnergyNetwork/batchRepeats``
    /// copies of the batch); the shape stage is conditioned on the true layer energies.
    public func loss(_ batch: ShowerBatch, generator: Generator) throws -> Tensor {
        let energies = try batch.incidentEnergies.to(dtype: .float32)
        let (energyClean, shapeClean, shapeConditions) = try withNoGrad {
            let (layers, shapes) = try trainingView(try batch.showers.to(dtype: .float32), generator: generator)
            return (try energySpace(layerEnergies: layers, incidentEnergies: energies),
                    try networks.shapeScaling.forward(shapes),
                    try shapeCondition(layerEnergies: layers, incidentEnergies: energies))
        }
        let repeats = config.energyNetwork.batchRepeats
        let energyLoss = try objective.loss(
            energyNetwork, clean: try energyClean.repeated([repeats, 1]),
            condition: DiffusionCondition(incidentEnergy: try energyCondition(energies).repeated([repeats, 1])), generator: generator)
        let shapeLoss = try objective.loss(shapeNetwork, clean: shapeClean, condition: shapeConditions, generator: generator)
        return try energyLoss + shapeLoss
    }

    /// The energy network and the shape network, each with its own policies.
    public func trainedParts(_ config: TrainingConfig) -> [TrainedPart] {
        [TrainedPart(name: "energy", module: networks.energy, policies: self.config.energyTraining),
         TrainedPart(name: "shape", module: networks.shape, policies: self.config.shapeTraining)]
    }

    // MARK: sampling

    public var defaultSampler: SamplerSettings { SamplerSettings(config.sampler, steps: config.samplingSteps) }

    public func checkSampling(_ sampler: SamplerSettings) throws {
        _ = try sampler.makeSampler()
        _ = try levels(sampler)
    }

    /// The flow's levels for the sampler's steps (default ``TwoStageConfig/samplingSteps``) per stage.
    func levels(_ sampler: SamplerSettings) throws -> [Double] {
        var onNative = sampler
        onNative.steps = nil
        return try onNative.levels(native: try process.samplingSigmas(stepCount: sampler.steps ?? config.samplingSteps))
    }

    /// Integrates one stage from noise `[B, F]` to its clean variables; returns them and the evaluations.
    func integrate(
        _ network: @escaping DiffusionNetwork, features: Int, condition: DiffusionCondition, batch: Int, sampler settings: SamplerSettings,
        generator: Generator, progress: SamplerStepCallback?
    ) throws -> (Tensor, Int) {
        let denoiser = CountingDenoiser(ProcessDenoiser(
            process: process, parametrisation: VelocityParametrisation(), timeInput: .time, network: network))
        let noise = try Tensor.randn([batch, features], device: device, generator: generator)
        let sample = try settings.makeSampler().sample(
            denoiser, noise: noise, sigmas: try levels(settings), condition: condition, generator: generator, onStep: progress)
        return (sample, denoiser.evaluations)
    }

    /// Layer energies from stage 1, then shapes from stage 2, composed into showers (MeV, `[B, V]`).
    public func sample(
        incidentEnergies: Tensor, sampler: SamplerSettings, generator: Generator, progress: SamplerStepCallback?
    ) throws -> GeneratedShowers {
        try generate(incidentEnergies: incidentEnergies, sampler: sampler, generator: generator, progress: progress).showers
    }

    /// ``sample(incidentEnergies:sampler:generator:progress:)`` with stage 1's layer energies `[B, N]` (MeV)
    /// (stage 1 runs ``TwoStageConfig/energyStepFactor`` times the sampler's steps),
    /// which the showers' layers hold exactly wherever they reach the readout threshold.
    func generate(
        incidentEnergies: Tensor, sampler: SamplerSettings, generator: Generator, progress: SamplerStepCallback?
    ) throws -> (layerEnergies: Tensor, showers: GeneratedShowers) {
        try checkSampling(sampler)
        let batch = incidentEnergies.dim(0)
        let energies = try incidentEnergies.reshaped([batch, 1]).to(dtype: .float32, device: device)
        networks.eval()
        defer { networks.train() }
        return try withNoGrad {
            var energySampler = sampler
            energySampler.steps = (sampler.steps ?? config.samplingSteps) * (config.energyStepFactor ?? 1)
            let (z, energyEvaluations) = try integrate(
                energyNetwork, features: variables.count, condition: DiffusionCondition(incidentEnergy: try energyCondition(energies)),
                batch: batch, sampler: energySampler, generator: generator, progress: progress)
            let layers = try variables.inverse(try networks.energyScaling.inverse(z), incidentEnergies: energies)
            let (y, shapeEvaluations) = try integrate(
                shapeNetwork, features: geometry.voxelCount, condition: try shapeCondition(layerEnergies: layers, incidentEnergies: energies),
                batch: batch, sampler: sampler, generator: generator, progress: progress)
            let showers = try composition.compose(shapes: try networks.shapeScaling.inverse(y), layerEnergies: layers)
            return (layers, GeneratedShowers(showers: showers, networkEvaluations: energyEvaluations + shapeEvaluations))
        }
    }

    // MARK: checkpoints

    public var checkpointMetadata: [String: String] {
        [
            "format": ModelCheckpoint.format, ModelCheckpoint.modelKey: Self.modelKind, "geometry": geometry.name,
            ModelCheckpoint.configurationKey: (try? config.prettyJSON()) ?? "", "caloforge_version": CaloForgeVersion.string,
        ]
    }

    /// A model from a checkpoint of kind `two-stage` (weights and statistics loaded strictly).
    public convenience init(checkpoint: ModelCheckpoint, device: Device = .cpu) throws {
        let config = try checkpoint.configuration(as: TwoStageConfig.self)
        try self.init(config: config, device: device, generator: try Generator(seed: 0))
        do { try networks.load(stateDict: checkpoint.tensors, strict: true) } catch {
            throw ModelError.invalidCheckpoint(path: checkpoint.path, reason: "\(error)")
        }
    }
}
