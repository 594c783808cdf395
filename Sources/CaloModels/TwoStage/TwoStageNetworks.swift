import Torch
import TorchNN

/// Every network and fitted statistic of a ``TwoStageModel``, under the checkpoint keys `energy.…`,
/// `shape.…`, `energyScaling.{mean,std}` and `shapeScaling.{mean,std}`.
public final class TwoStageNetworks: Module {
    public let energy: EnergyFlowNetwork
    public let shape: ShapeTransformer
    /// Layer variables u ↔ the energy network's space.
    public let energyScaling: LogitStandardiser
    /// Layer-normalised voxels ↔ the shape network's space.
    public let shapeScaling: LogitStandardiser

    init(energy: EnergyFlowNetwork, shape: ShapeTransformer, energyScaling: LogitStandardiser, shapeScaling: LogitStandardiser) {
        self.energy = energy
        self.shape = shape
        self.energyScaling = energyScaling
        self.shapeScaling = shapeScaling
        super.init()
    }
}
