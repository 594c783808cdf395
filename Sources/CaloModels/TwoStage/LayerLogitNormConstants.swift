/// The standardisation constants of the newest CaloDiffusion's 'layer-logit-norm' layer targets
/// (`dataset*_params` of the reference `calodiffusion/utils/consts.py`; spec/models.md §A.15):
/// totalE' = (totalE − totalEnergyMean)/totalEnergyStd and layer'_l = (logit(f_l) − layersMean)/layersStd.
public struct LayerLogitNormConstants: Sendable, Equatable, Codable {
    /// Mean of the total deposit in MAXDEP·E_inc units.
    public var totalEnergyMean: Double
    /// Standard deviation of the total deposit in MAXDEP·E_inc units (> 0).
    public var totalEnergyStd: Double
    /// Mean of the logit layer fractions (over all layers).
    public var layersMean: Double
    /// Standard deviation of the logit layer fractions (> 0).
    public var layersStd: Double

    public init(totalEnergyMean: Double, totalEnergyStd: Double, layersMean: Double, layersStd: Double) {
        self.totalEnergyMean = totalEnergyMean
        self.totalEnergyStd = totalEnergyStd
        self.layersMean = layersMean
        self.layersStd = layersStd
    }

    /// Dataset 2 (`dataset2_params`).
    public static let ds2 = Self(totalEnergyMean: 0.3926, totalEnergyStd: 0.05546, layersMean: -6.35551, layersStd: 3.90699)
    /// Dataset 1 photons in their original voxel layout (`dataset1_origShape_params`, the 2025 configs' 'orig-NN').
    public static let ds1Photons = Self(
        totalEnergyMean: 0.3123, totalEnergyStd: 0.02872, layersMean: -4.9023, layersStd: 5.17364)
    /// Dataset 1 pions in their original voxel layout (`dataset0_origShape_params`).
    public static let ds1Pions = Self(
        totalEnergyMean: 0.2359, totalEnergyStd: 0.08255, layersMean: -4.9742, layersStd: 4.89629)
    /// No standardisation (means 0, standard deviations 1): dataset 3, whose constants the reference never computed.
    public static let identity = Self(totalEnergyMean: 0, totalEnergyStd: 1, layersMean: 0, layersStd: 1)

    /// The constants of a built-in geometry (`ds1-photons`, `ds1-pions`, `ds2`, `ds3`).
    /// - Throws: ``ModelError/invalidConfig(_:)`` for another geometry name.
    public static func forGeometry(named name: String) throws -> Self {
        switch name {
        case "ds2": return .ds2
        case "ds1-photons": return .ds1Photons
        case "ds1-pions": return .ds1Pions
        case "ds3": return .identity
        default:
            throw ModelError.invalidConfig(
                "no layer-logit-norm constants are known for geometry '\(name)' (known: ds1-photons, ds1-pions, ds2, ds3); "
                    + "pass LayerLogitNormConstants explicitly")
        }
    }
}
