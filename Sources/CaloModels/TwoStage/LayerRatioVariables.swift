import Torch

/// CaloDREAM's (spec/models.md §D) and CaloScore v2's (§B.2.1) layer variables u ∈ [0, 1]ᴺ for N layers:
/// u₀ = Σ_l E_l/(M·E_inc) with M = ``maxDeposit``, and u_i = E_{i−1}/Σ_{j ≥ i−1} E_j for i = 1 … N − 1
/// (0 when no energy is left), the share of the remaining energy that layer i − 1 takes; the last layer
/// takes what is left. The inverse is exact: E_tot = u₀·M·E_inc, E_i = u_{i+1}·Π_{k ≤ i}(1 − u_k)·E_tot
/// (k ≥ 1), E_{N−1} = Π_{k ≥ 1}(1 − u_k)·E_tot, so any u in [0, 1]ᴺ gives non-negative layer energies
/// whose sum is exactly E_tot.
public struct LayerRatioVariables: LayerEnergyVariables {
    /// N, the number of layers (and of variables).
    public let layers: Int
    /// M: u₀ = E_tot/(M·E_inc) stays below 1 for every shower (2 for ds2/ds3, 3.1 for ds1, §B.2.1).
    public let maxDeposit: Double

    /// Variables for `layers` ≥ 1 layers with u₀ scaled by `maxDeposit` > 0.
    public init(layers: Int, maxDeposit: Double) throws {
        try checkLayerVariableSettings(layers: layers, maxDeposit: maxDeposit)
        self.layers = layers
        self.maxDeposit = maxDeposit
    }

    public var count: Int { layers }

    /// `[B, N]` MeV and `[B, 1]` MeV → u `[B, N]` (not clamped: u₀ exceeds 1 when E_tot > M·E_inc).
    public func forward(layerEnergies: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let energies = try layerEnergies.clamped(min: 0)
        let total = try energies.sum(dims: [1], keepDim: true)
        let u0 = try total / (incidentEnergies * maxDeposit)
        guard layers > 1 else { return u0 }
        // remaining_i = Σ_{j ≥ i} E_j for i = 0 … N − 2.
        let remaining = try energies.flipped([1]).cumsum(dim: 1).flipped([1]).narrowed(dim: 1, start: 0, length: layers - 1)
        let taken = try energies.narrowed(dim: 1, start: 0, length: layers - 1)
        let ratios = try `where`(remaining .> 0, taken / remaining.clamped(min: Double.leastNormalMagnitude), remaining.zerosLike())
        return try Tensor.cat([u0, ratios.clamped(min: 0, max: 1)], dim: 1)
    }

    /// u `[B, N]` (clamped to [0, 1], u₀ to ≥ 0) → layer energies `[B, N]` MeV summing to u₀·M·E_inc.
    public func inverse(_ variables: Tensor, incidentEnergies: Tensor) throws -> Tensor {
        let total = try variables.narrowed(dim: 1, start: 0, length: 1).clamped(min: 0) * incidentEnergies * maxDeposit
        guard layers > 1 else { return total }
        let ratios = try variables.narrowed(dim: 1, start: 1, length: layers - 1).clamped(min: 0, max: 1)
        // left_i = Π_{k < i} (1 − u_{k+1}): the share of E_tot still unassigned before layer i.
        let keep = try 1 - ratios
        let left = try Tensor.cat([keep.narrowed(dim: 1, start: 0, length: 1).onesLike(), keep.cumprod(dim: 1)], dim: 1)
        let shares = try Tensor.cat([ratios, ratios.narrowed(dim: 1, start: 0, length: 1).onesLike()], dim: 1) * left
        return try shares * total
    }
}

/// Throws ``ModelError/invalidConfig(_:)`` unless `layers` ≥ 1 and `maxDeposit` is positive and finite.
func checkLayerVariableSettings(layers: Int, maxDeposit: Double) throws {
    guard layers >= 1 else { throw ModelError.invalidConfig("layer variables need at least 1 layer, got \(layers)") }
    guard maxDeposit > 0, maxDeposit.isFinite else {
        throw ModelError.invalidConfig("maxDeposit must be positive, got \(maxDeposit)")
    }
}
