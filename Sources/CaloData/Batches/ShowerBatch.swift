import Torch

/// One batch of showers from a ``ShowerLoader``, on the loader's device and in its dtype. Energies in MeV.
public struct ShowerBatch {
    /// Voxel energies, `[batch, voxels]` in flat CaloChallenge order.
    public let showers: Tensor
    /// Incident energies, `[batch, 1]`.
    public let incidentEnergies: Tensor
    /// Energy of every relevant layer, `[batch, relevantLayers]`.
    public let layerEnergies: Tensor
    /// Row of every event in the loaded data (for a loader built from a file, its row in that file).
    public let eventIndices: [Int]

    /// Number of events in the batch.
    public var count: Int { eventIndices.count }
}
