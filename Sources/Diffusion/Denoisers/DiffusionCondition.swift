import Torch

/// What a conditional model is conditioned on, passed unchanged from sampler or loss to the network.
///
/// Typed fields instead of a string-keyed dictionary (STYLE §6); the tensors are already
/// preprocessed by the caller and live on the network's device.
public struct DiffusionCondition {
    /// The incident-energy condition, `[batch, 1]`, in whatever scaling the model was trained with.
    public var incidentEnergy: Tensor
    /// Optional per-layer energies, `[batch, layers]`, for layer-conditioned models (spec §A.15).
    public var layerEnergies: Tensor?
    /// Further model-specific inputs, in an order the model defines; prefer a named field when one fits.
    public var extras: [Tensor]

    /// A condition on `incidentEnergy` and, optionally, layer energies and model-specific extras.
    public init(incidentEnergy: Tensor, layerEnergies: Tensor? = nil, extras: [Tensor] = []) {
        self.incidentEnergy = incidentEnergy
        self.layerEnergies = layerEnergies
        self.extras = extras
    }
}
