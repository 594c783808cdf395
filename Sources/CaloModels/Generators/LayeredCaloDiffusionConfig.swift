import CaloData
import Foundation

/// Everything that defines a layered CaloDiffusion generator, the newest CaloDiffusion repository's two-stage
/// model (`LayerDiffusion`, spec/models.md §A.15): the layer-energy network, the layer-conditioned U-Net, the
/// variables and conditions both were trained on, and the sampling defaults. Stored as JSON in every checkpoint.
///
/// The defaults are the reference's (github.com/OzAmram/CaloDiffusion, commit 57816bb, 2025 dataset 1 and 2
/// configs): EDM preconditioning with σ_data = 1 and the time input ½·ln σ for both networks (NOISE_SCHED 'log',
/// TIME_EMBED 'log', TRAINING_OBJ 'hybrid_weight'); the layer model sampled with DDIM (η = 0) over the cosine
/// schedule of 400 steps (LAYER_SAMPLER, LAYER_STEPS = NSTEPS), the U-Net with DDIM over 200 steps (the default
/// `--sample-steps` of the reference's `inference.py`), no skipped levels (`--sample-offset 0`).
public struct LayeredCaloDiffusionConfig: GeneratorConfiguration, Equatable {
    /// The model kind of layered CaloDiffusion checkpoints.
    public static let modelKind = "layered-calodiffusion"
    /// SHOWERSCALE of the reference's `load_data`: the factor applied to the file's energies (MeV) before the
    /// condition and ECUT. The 2025 CaloChallenge configs set `SHOWER_SCALE` (0.001), a key `load_data` does not
    /// read, so its default 200 applies to every model they trained.
    public static let referenceEnergyScale = 200.0

    public var name: String
    /// The U-Net; its ``CaloDiffusionConfig/energyInputs`` is N + 2 ([c_E, totalE', layer'_1 … layer'_N]).
    public var network: CaloDiffusionConfig
    /// The layer-energy network (N = ``LayerDiffusionNetwork/Config/layerCount``).
    public var layerNetwork: LayerDiffusionNetwork.Config
    /// Standardisation constants of the layer variables (``LayerLogitNormVariables``).
    public var layerConstants: LayerLogitNormConstants
    /// The factor e/E_inc of the energy e the reference conditions on: c_E = log10(e/EMIN)/log10(EMAX/EMIN) with
    /// e = energyScale·E_inc (MeV) and the config's EMIN and EMAX (GeV values read as they are). 200 for the
    /// 2025 configs (``referenceEnergyScale``); 1000 would be the GeV → MeV scaling the configs meant.
    public var energyScale: Double
    /// σ_data of the EDM preconditioning of both networks (1 for NOISE_SCHED 'log').
    public var sigmaData: Double
    /// Default sampling steps of the U-Net (its sampler is the user's; DDIM when none is named).
    public var samplingSteps: Int
    /// Steps of the layer model's DDIM sampler, whatever the U-Net's sampler (LAYER_STEPS, default NSTEPS = 400).
    public var layerSamplingSteps: Int
    /// Leading levels skipped by both samplers (`--sample-offset`, 0).
    public var samplingOffset: Int
    /// Voxels below this energy (MeV) are set to 0 after the layer rescaling: the reference applies ECUT to
    /// energies scaled by ``energyScale``, so this is ECUT/energyScale (ds2: 1.51e-5/200 MeV).
    public var minimumEnergy: Double
    /// Unused: a layered model cannot be trained in CaloForge (the protocol asks for training settings).
    public var training: TrainingConfig

    public init(
        name: String, network: CaloDiffusionConfig, layerNetwork: LayerDiffusionNetwork.Config,
        layerConstants: LayerLogitNormConstants, energyScale: Double = referenceEnergyScale, sigmaData: Double = 1,
        samplingSteps: Int = 200, layerSamplingSteps: Int = 400, samplingOffset: Int = 0, minimumEnergy: Double,
        training: TrainingConfig = TrainingConfig()
    ) {
        self.name = name
        self.network = network
        self.layerNetwork = layerNetwork
        self.layerConstants = layerConstants
        self.energyScale = energyScale
        self.sigmaData = sigmaData
        self.samplingSteps = samplingSteps
        self.layerSamplingSteps = layerSamplingSteps
        self.samplingOffset = samplingOffset
        self.minimumEnergy = minimumEnergy
        self.training = training
    }

    /// The reference's configuration around a layer-conditioned U-Net and a layer network: the constants of the
    /// U-Net's geometry and its ECUT (1e-7 for dataset 1, 1.51e-5 for datasets 2 and 3, in scaled units) over
    /// ``referenceEnergyScale``.
    /// - Throws: ``ModelError/invalidConfig(_:)`` for a geometry without layer constants, or networks that disagree.
    public static func reference(
        name: String, network: CaloDiffusionConfig, layerNetwork: LayerDiffusionNetwork.Config
    ) throws -> LayeredCaloDiffusionConfig {
        let geometry = try network.resolvedGeometry()
        let ecut = geometry.name.hasPrefix("ds1") ? 1e-7 : 1.51e-5
        let config = LayeredCaloDiffusionConfig(
            name: name, network: network, layerNetwork: layerNetwork,
            layerConstants: try LayerLogitNormConstants.forGeometry(named: geometry.name),
            minimumEnergy: ecut / referenceEnergyScale)
        try config.validate()
        return config
    }

    /// N, the number of layers both networks work with.
    public var layerCount: Int { layerNetwork.layerCount }

    /// The condition c_E as CaloForge's transform: log scaling between the geometry's E_min and E_max divided by
    /// ``energyScale`` (MeV), which is log10(energyScale·E_inc/E_min)/log10(E_max/E_min).
    public func energyCondition(for geometry: Geometry) throws -> IncidentEnergyScaling {
        let base = try IncidentEnergyScaling.caloDiffusion(for: geometry)
        // The base range is in MeV; the reference's EMIN/EMAX are the same numbers in GeV applied to e.
        return try IncidentEnergyScaling(
            mode: base.mode, minimum: base.minimum / 1000 / energyScale, maximum: base.maximum / 1000 / energyScale)
    }

    public func validate() throws {
        try network.validate()
        try layerNetwork.validate()
        let layers = try network.resolvedGeometry().relevantLayers.count
        guard layerNetwork.layerCount == layers, network.energyInputs == layers + 2 else {
            throw ModelError.invalidConfig(
                "a layered CaloDiffusion model needs a layer network of N = \(layers) layers (geometry \(network.geometry)) "
                    + "and a U-Net with N + 2 = \(layers + 2) energy inputs; got N = \(layerNetwork.layerCount) and "
                    + "\(network.energyInputs) energy inputs")
        }
        guard layerNetwork.conditionInputs == 1 else {
            throw ModelError.invalidConfig(
                "the layer network must be conditioned on c_E alone (conditionInputs 1), got \(layerNetwork.conditionInputs)")
        }
        let positive: [(String, Double)] = [("energyScale", energyScale), ("sigmaData", sigmaData)]
        for (field, value) in positive where !(value > 0 && value.isFinite) {
            throw ModelError.invalidConfig("\(field) must be positive and finite, got \(value)")
        }
        guard samplingSteps >= 2, layerSamplingSteps >= 2 else {
            throw ModelError.invalidConfig(
                "samplingSteps and layerSamplingSteps must be at least 2, got \(samplingSteps) and \(layerSamplingSteps)")
        }
        guard samplingOffset >= 0, samplingOffset < min(samplingSteps, layerSamplingSteps) - 1 else {
            throw ModelError.invalidConfig(
                "samplingOffset must lie in 0..<\(min(samplingSteps, layerSamplingSteps) - 1), got \(samplingOffset)")
        }
        guard minimumEnergy >= 0 else {
            throw ModelError.invalidConfig("minimumEnergy must not be negative, got \(minimumEnergy)")
        }
        _ = try LayerLogitNormVariables(layerCount: layerCount, maxDeposit: 1, constants: layerConstants)
    }
}
