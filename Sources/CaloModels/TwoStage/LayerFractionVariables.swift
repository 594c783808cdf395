import Torch

/// The layer variables [u₀, f_1 … f_N] ∈ [0, 1]^{N+1}: u₀ = E_tot/(M·E_inc) as in ``LayerRatioVariables``
/// and the layer fractions f_l = E_l/E_tot (0 for an empty shower), the quantities of the newest
/// CaloDiffusion's layer-logit-norm map (spec/models.md §A.15) before its logit. Unlike the ratios, each
/// empty layer is one value at 0 of its own, so an error in one layer does not run into the later ones.
/// The inverse renormalises the (clamped) fractions to sum 1 (equal fractions when all are 0) and
/// multiplies by E_tot, so the layer energies sum exactly to u₀·M·E_inc.
public struct LayerFractionVariables: LayerEnergyVariables {
    /// N, the number of layers.
    public let layers: Int
    /// M: u₀ = E_tot/(M·E_inc).
    public let maxDeposit: Double

    /// Variables for `layers` ≥ 1 layers with u₀ scaled by `maxDeposit` > 0.
    public init(layers: Int, maxDeposit: Double) throws {
        try checkLayerVariableSettings(layers: layers, maxDeposit: maxDeposit)
        self.layers = layers
        self.maxDeposit = maxDeposit
    }

    /// N + 1.
    public var count: Int { layers + 1 }

    /// `[B, N]` MeV and `[B, 1]` MeV → [u₀, f] `[B, N + 1]`.
    public func forward(layerEnergies: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let energies = try layerEnergies.clamped(min: 0)
        let total = try energies.sum(dims: [1], keepDim: true)
        let fractions = try `where`(total .> 0, energies / total.clamped(min: Double.leastNormalMagnitude), energies.zerosLike())
        return try Tensor.cat([total / (incidentEnergies * maxDeposit), fractions], dim: 1)
    }

    /// [u₀, f] `[B, N + 1]` → layer energies `[B, N]` MeV summing to max(u₀, 0)·M·E_inc.
    public func inverse(_ variables: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let total = try variables.narrowed(dim: 1, start: 0, length: 1).clamped(min: 0) * incidentEnergies * maxDeposit
        let raw = try variables.narrowed(dim: 1, start: 1, length: layers).clamped(min: 0)
        let sums = try raw.sum(dims: [1], keepDim: true)
        let fractions = try `where`(sums .> 0, raw / sums.clamped(min: Double.leastNormalMagnitude), raw.onesLike() / Double(layers))
        return try fractions * total
    }
}
