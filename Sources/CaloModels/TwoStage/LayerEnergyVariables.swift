import Torch
import TorchNN

/// The variables a layer-energy model learns: a map from the per-layer energies of a shower and its incident
/// energy to a fixed-length vector (what the energy network generates), and back.
///
/// Implementations: ``LayerRatioVariables`` (CaloDREAM's and CaloScore v2's u-variables, spec/models.md §D,
/// §B.2.1) and the newest CaloDiffusion's layer-logit-norm targets (§A.15).
public protocol LayerEnergyVariables {
    /// Length of the variable vector.
    var count: Int { get }
    /// Layer energies `[B, N]` (MeV, ≥ 0) and incident energies `[B, 1]` (MeV) → variables `[B, count]`.
    func forward(layerEnergies: Tensor, incidentEnergies: Tensor) throws -> Tensor
    /// Variables `[B, count]` → layer energies `[B, N]` (MeV, ≥ 0) for incident energies `[B, 1]` (MeV).
    func inverse(_ variables: Tensor, incidentEnergies: Tensor) throws -> Tensor
}

/// A network of a layer-energy model: the velocity, noise or clean-sample prediction for variables
/// `x` `[B, K]` at the network time input `time` `[B]` given the incident-energy condition `energy` `[B, 1]`.
public protocol LayerEnergyNetwork: Module {
    func callAsFunction(_ x: Tensor, time: Tensor, energy: Tensor) throws -> Tensor
}
