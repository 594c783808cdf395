import CaloData
import Foundation

/// A two-stage model (issue 16): a flow-matching energy model of the layer variables u (spec/models.md §D)
/// given the incident energy, then a flow-matching shape transformer for the layer-normalised shower given
/// both; the layers of the generated shape receive exactly the generated layer energies
/// (``ShowerComposition``). Stored as JSON in every checkpoint.
public struct TwoStageConfig: GeneratorConfiguration, Equatable {
    public static let modelKind = "two-stage"

    /// The energy network (``EnergyFlowNetwork``).
    public struct EnergyNetwork: Codable, Equatable, Sendable {
        public var width: Int
        public var depth: Int
        /// Each training batch's layer variables are used this many times, with fresh times and noise: the
        /// energy network is cheap, so it sees a larger batch (less gradient noise) at little cost.
        public var batchRepeats: Int
        public init(width: Int, depth: Int, batchRepeats: Int = 1) {
            self.width = width
            self.depth = depth
            self.batchRepeats = batchRepeats
        }

        private enum CodingKeys: String, CodingKey { case width, depth, batchRepeats }

        /// `batchRepeats` may be left out (1).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            width = try container.decode(Int.self, forKey: .width)
            depth = try container.decode(Int.self, forKey: .depth)
            batchRepeats = try container.decodeIfPresent(Int.self, forKey: .batchRepeats) ?? 1
        }
    }

    /// The shape network (``ShapeTransformer``).
    public struct ShapeNetwork: Codable, Equatable, Sendable {
        /// Patch (layers, angular, radial) on a regular geometry; nil: one token per layer.
        public var patch: [Int]?
        public var width: Int
        public var depth: Int
        public var heads: Int
        public var mlpRatio: Int
        /// A gated linear skip from each token's input patch to its output (``PatchTokenizer``): needed when a
        /// patch holds more voxels than the width.
        public var patchSkips: Bool
        public init(patch: [Int]?, width: Int, depth: Int, heads: Int, mlpRatio: Int, patchSkips: Bool = false) {
            self.patch = patch
            self.width = width
            self.depth = depth
            self.heads = heads
            self.mlpRatio = mlpRatio
            self.patchSkips = patchSkips
        }

        private enum CodingKeys: String, CodingKey { case patch, width, depth, heads, mlpRatio, patchSkips }

        /// `patchSkips` may be left out (false: the built-in model of issue 16 was trained without).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            patch = try container.decodeIfPresent([Int].self, forKey: .patch)
            width = try container.decode(Int.self, forKey: .width)
            depth = try container.decode(Int.self, forKey: .depth)
            heads = try container.decode(Int.self, forKey: .heads)
            mlpRatio = try container.decode(Int.self, forKey: .mlpRatio)
            patchSkips = try container.decodeIfPresent(Bool.self, forKey: .patchSkips) ?? false
        }
    }

    public var name: String
    /// A built-in geometry name (ds1-photons, ds1-pions, ds2, ds3).
    public var geometry: String
    /// M in u₀ = E_tot/(M·E_inc) (§B.2.1: 2 for ds2/ds3, 3.1 for ds1).
    public var maxDeposit: Double
    /// The variables the energy model learns.
    public var energyVariables: LayerVariablesChoice
    /// Whether empty voxels and layers are dequantised below the readout threshold in training (``Dequantisation``).
    public var dequantise: Bool
    /// α of the logit in both stages' preprocessing (``LogitStandardiser``).
    public var logitAlpha: Double
    public var energyNetwork: EnergyNetwork
    public var shapeNetwork: ShapeNetwork
    /// The default sampler (a `SamplerCatalog` name) and its steps per stage.
    public var sampler: String
    public var samplingSteps: Int
    /// The energy stage runs this many times the sampler's steps (its network is cheap, and the layer energies
    /// need a more exact solve than the shapes; docs/validation.md). nil: 1.
    public var energyStepFactor: Int?
    /// Voxels below this energy (MeV) read 0 (nil: the geometry's official readout threshold).
    public var threshold: Double?
    /// Run settings (batch size, epochs, split, seed); its policies are not used: each stage has its own.
    public var training: TrainingConfig
    /// Optimizer, schedule, clipping and EMA of the energy network.
    public var energyTraining: TrainingPolicies
    /// Optimizer, schedule, clipping and EMA of the shape network.
    public var shapeTraining: TrainingPolicies

    public init(
        name: String, geometry: String, maxDeposit: Double, energyVariables: LayerVariablesChoice = .ratios, dequantise: Bool = true, logitAlpha: Double = 1e-12, energyNetwork: EnergyNetwork,
        shapeNetwork: ShapeNetwork, sampler: String = "midpoint", samplingSteps: Int = 4, energyStepFactor: Int? = nil,
        threshold: Double? = nil,
        training: TrainingConfig, energyTraining: TrainingPolicies, shapeTraining: TrainingPolicies
    ) {
        self.name = name
        self.geometry = geometry
        self.maxDeposit = maxDeposit
        self.energyVariables = energyVariables
        self.dequantise = dequantise
        self.logitAlpha = logitAlpha
        self.energyNetwork = energyNetwork
        self.shapeNetwork = shapeNetwork
        self.sampler = sampler
        self.samplingSteps = samplingSteps
        self.energyStepFactor = energyStepFactor
        self.threshold = threshold
        self.training = training
        self.energyTraining = energyTraining
        self.shapeTraining = shapeTraining
    }

    /// The geometry the configuration names.
    public func resolvedGeometry() throws -> Geometry {
        do { return try Geometry.named(geometry) } catch {
            throw ModelError.invalidConfig("geometry '\(geometry)' is not a built-in geometry (\(Geometry.builtInNames.joined(separator: ", ")))")
        }
    }

    /// The readout threshold in MeV.
    public func resolvedThreshold() throws -> Double {
        if let threshold { return threshold }
        return try ReadoutThreshold.official(for: try resolvedGeometry()).energy
    }

    public func validate() throws {
        let geometry = try resolvedGeometry()
        guard maxDeposit > 0 else { throw ModelError.invalidConfig("maxDeposit must be positive, got \(maxDeposit)") }
        guard logitAlpha > 0, logitAlpha < 0.5 else { throw ModelError.invalidConfig("logitAlpha must lie in (0, 0.5), got \(logitAlpha)") }
        guard energyNetwork.width >= 1, energyNetwork.depth >= 0, energyNetwork.batchRepeats >= 1 else {
            throw ModelError.invalidConfig(
                "energyNetwork needs width ≥ 1, depth ≥ 0 and batchRepeats ≥ 1, got \(energyNetwork.width), \(energyNetwork.depth) and \(energyNetwork.batchRepeats)")
        }
        let shape = shapeNetwork
        guard shape.width >= 1, shape.depth >= 0, shape.heads >= 1, shape.width % shape.heads == 0, shape.mlpRatio >= 1 else {
            throw ModelError.invalidConfig(
                "shapeNetwork needs width a multiple of heads, depth ≥ 0 and mlpRatio ≥ 1; got width \(shape.width), heads \(shape.heads), depth \(shape.depth), mlpRatio \(shape.mlpRatio)")
        }
        if shape.patch != nil, geometry.regularShape == nil {
            throw ModelError.invalidConfig("geometry \(geometry.name) has layers of different binnings: shapeNetwork.patch must be null (one token per layer)")
        }
        guard samplingSteps >= 1 else { throw ModelError.invalidConfig("samplingSteps must be at least 1, got \(samplingSteps)") }
        if let energyStepFactor, energyStepFactor < 1 {
            throw ModelError.invalidConfig("energyStepFactor must be at least 1, got \(energyStepFactor)")
        }
        if let threshold, !(threshold >= 0) { throw ModelError.invalidConfig("threshold must be ≥ 0 MeV, got \(threshold)") }
        try energyTraining.validate(field: "energyTraining")
        try shapeTraining.validate(field: "shapeTraining")
    }
}
