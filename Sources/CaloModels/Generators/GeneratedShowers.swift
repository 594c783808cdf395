import Torch

/// What one call of ``ShowerGenerator/sample(incidentEnergies:sampler:generator:progress:)`` returns.
public struct GeneratedShowers {
    /// The showers, `[batch, voxels]` float32 MeV on the generator's device.
    public var showers: Tensor
    /// Network evaluations made (each evaluates the whole batch, so this is also the NFE per shower), summed
    /// over every network of the generator.
    public var networkEvaluations: Int

    /// Showers and the network evaluations they cost.
    public init(showers: Tensor, networkEvaluations: Int) {
        self.showers = showers
        self.networkEvaluations = networkEvaluations
    }
}
