import CaloData
import Torch

/// The newest CaloDiffusion's layer-energy targets, SHOWERMAP 'layer-logit-norm' (reference
/// `preprocess_shower` / `ReverseNormCaloChall`, spec/models.md §A.15): `[B, N + 1]` = [totalE', layer'_1 … layer'_N].
///
/// Forward, for layer energies E_l and incident energy E_inc (MeV):
/// - totalE = Σ_l E_l / (MAXDEP·E_inc) (the reference sums the normalised voxels; the same number),
/// - f_l = E_l / (MAXDEP·E_inc) / totalE,
/// - logit_α(f) = ln(o/(1 − o)) with o = α + (1 − 2α)·f, α = 1e-6; a value the reference's masked arrays mask
///   (an empty shower, totalE = 0, or o/(1 − o) ≤ 0) becomes 0 before standardisation (`np.ma…filled(0)`),
/// - totalE' = (totalE − μ_E)/s_E, layer'_l = (logit_α(f_l) − μ_L)/s_L (``LayerLogitNormConstants``).
///
/// Inverse: f̃_l = (σ(layer'_l·s_L + μ_L) − α)/(1 − 2α), f_l = f̃_l / Σ f̃, E_l = f_l·(totalE'·s_E + μ_E)·MAXDEP·E_inc,
/// clamped at 0. The reference keeps the tiny negative values (f̃ ≥ −α/(1 − 2α)) and a negative totalE; it only uses
/// them as "below 1e-6 in MAXDEP·E_inc units, do not rescale this layer", which 0 also is. σ is the logistic
/// function; the reference's exp(x)/(1 + exp(x)) overflows to NaN where σ is 1.
///
/// Both directions compute in float64 and return the input's dtype: in float32, 1 − o for a one-layer shower
/// (o = 1 − α) loses a tenth of its value, and the reference's logit runs in float64 there too.
public struct LayerLogitNormVariables: LayerEnergyVariables, Sendable, Equatable {
    /// α of the reference's `logit` / `reverse_logit`.
    public static let logitAlpha = 1e-6

    /// N, the number of calorimeter layers.
    public let layerCount: Int
    /// MAXDEP, the factor of E_inc that normalises the deposits (3.1 for dataset 1, 2 for datasets 2 and 3).
    public let maxDeposit: Double
    /// The standardisation constants.
    public let constants: LayerLogitNormConstants

    /// - Throws: ``ModelError/invalidConfig(_:)`` for N < 1, a non-positive MAXDEP or standard deviation.
    public init(layerCount: Int, maxDeposit: Double, constants: LayerLogitNormConstants) throws {
        guard layerCount >= 1 else {
            throw ModelError.invalidConfig("layer-logit-norm variables need at least one layer, got \(layerCount)")
        }
        guard maxDeposit > 0, maxDeposit.isFinite else {
            throw ModelError.invalidConfig("layer-logit-norm variables: MAXDEP must be a positive number, got \(maxDeposit)")
        }
        guard constants.totalEnergyStd > 0, constants.layersStd > 0 else {
            throw ModelError.invalidConfig(
                "layer-logit-norm variables: standard deviations must be positive, got totalE \(constants.totalEnergyStd), "
                    + "layers \(constants.layersStd)")
        }
        self.layerCount = layerCount
        self.maxDeposit = maxDeposit
        self.constants = constants
    }

    /// The reference's variables for a built-in geometry: N = its relevant layers, its MAXDEP and constants.
    public init(geometry: Geometry) throws {
        try self.init(
            layerCount: geometry.relevantLayers.count, maxDeposit: try EnergyNormalization.maxDeposit(for: geometry),
            constants: try LayerLogitNormConstants.forGeometry(named: geometry.name))
    }

    /// N + 1.
    public var count: Int { layerCount + 1 }

    /// Layer energies `[B, N]` (MeV, ≥ 0) and incident energies `[B, 1]` (MeV) → `[B, N + 1]`, in the layer
    /// energies' dtype.
    /// - Throws: ``ModelError/wrongLayerEnergyShape(input:expected:actual:)`` for other shapes.
    public func forward(layerEnergies: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        try check(layerEnergies, "layer energies", width: layerCount, incidentEnergies)
        let alpha = Self.logitAlpha
        let scale = try incidentEnergies.to(dtype: .float64) * maxDeposit
        let normalised = try layerEnergies.to(dtype: .float64) / scale
        let totalE = try normalised.sum(dims: [1], keepDim: true)
        let fractions = try normalised / totalE
        let scaled = try (1 - 2 * alpha) * fractions
        let o = try scaled + alpha
        let ratio = try o / (1 - o)
        let masked = try (totalE .> 0).logicalAnd(ratio .> 0)
        let logits = try `where`(masked, log(ratio), ratio.zerosLike())
        let totalPrime = try (totalE - constants.totalEnergyMean) / constants.totalEnergyStd
        let layersPrime = try (logits - constants.layersMean) / constants.layersStd
        return try Tensor.cat([totalPrime, layersPrime], dim: 1).to(dtype: layerEnergies.dtype)
    }

    /// Variables `[B, N + 1]` → layer energies `[B, N]` (MeV, ≥ 0), in the variables' dtype, for incident energies
    /// `[B, 1]` (MeV).
    /// - Throws: ``ModelError/wrongLayerEnergyShape(input:expected:actual:)`` for other shapes.
    public func inverse(_ variables: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        try check(variables, "variables", width: count, incidentEnergies)
        let alpha = Self.logitAlpha
        let wide = try variables.to(dtype: .float64)
        let totalPrime = try wide.narrowed(dim: 1, start: 0, length: 1)
        let layersPrime = try wide.narrowed(dim: 1, start: 1, length: layerCount)
        let totalE = try totalPrime * constants.totalEnergyStd + constants.totalEnergyMean
        let logits = try layersPrime * constants.layersStd + constants.layersMean
        let shifted = try sigmoid(logits) - alpha
        let unnormalised = try shifted / (1 - 2 * alpha)
        let fractions = try unnormalised / unnormalised.sum(dims: [1], keepDim: true)
        let scale = try incidentEnergies.to(dtype: .float64) * maxDeposit
        let energies = try fractions * (totalE * scale)
        return try energies.clamped(min: 0).to(dtype: variables.dtype)
    }

    private func check(_ x: Tensor, _ name: String, width: Int, _ incidentEnergies: Tensor) throws {
        guard x.ndim == 2, x.shape[1] == width else {
            throw ModelError.wrongLayerEnergyShape(input: name, expected: "[B, \(width)]", actual: x.shape)
        }
        guard incidentEnergies.shape == [x.shape[0], 1] else {
            throw ModelError.wrongLayerEnergyShape(
                input: "incident energies", expected: "[\(x.shape[0]), 1]", actual: incidentEnergies.shape)
        }
    }
}
