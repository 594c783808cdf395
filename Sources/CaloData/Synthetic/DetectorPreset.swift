import Foundation

/// The detector a synthetic shower develops in: the effective medium, where each readout layer
/// lies in depth, the sampling fluctuations and the readout cut. Two presets exist: ``par04`` (the
/// Geant4 Par04 W/Si calorimeter of CaloChallenge datasets 2 and 3) and ``atlasLike`` (a coarse
/// stand-in for the ATLAS barrel of dataset 1).
public struct DetectorPreset: Sendable, Equatable, Codable {
    /// A depth interval in X₀,eff, measured from the first material the particle meets.
    public struct DepthRange: Sendable, Equatable, Codable {
        public var start: Double
        public var end: Double
        /// What the layer is (e.g. "EMB2"), for documentation and reports.
        public var label: String

        public init(start: Double, end: Double, label: String) {
            self.start = start
            self.end = end
            self.label = label
        }
    }

    /// How geometry layers map to depth.
    public enum LayerDepths: Sendable, Equatable, Codable {
        /// The layer at XML position i spans [i·thickness, (i + 1)·thickness] (mm).
        case uniform(thickness: Double)
        /// Depth ranges by layer id; depth outside every range is dead material.
        case byLayerID([Int: DepthRange])
    }

    /// Short name used on the command line (`par04`, `atlas-like`).
    public var name: String
    /// One line saying what the preset models.
    public var summary: String
    public var medium: ShowerMedium
    public var layerDepths: LayerDepths
    /// Stochastic term a of the sampling resolution σ/E = a/√(E/GeV).
    public var samplingTerm: Double
    /// Shape k of the Gamma distribution of one spot's energy (relative spread 1/√k).
    public var spotShape: Double
    /// Voxels below this energy (MeV) are written as 0.
    public var cellThreshold: Double
    /// Visible energy per deposited energy after the readout calibration (1 = calibrated to the
    /// electron scale, as the 1/0.033 factor of the Par04 files does).
    public var calibration: Double

    public init(
        name: String, summary: String, medium: ShowerMedium, layerDepths: LayerDepths, samplingTerm: Double,
        spotShape: Double, cellThreshold: Double, calibration: Double = 1
    ) {
        self.name = name
        self.summary = summary
        self.medium = medium
        self.layerDepths = layerDepths
        self.samplingTerm = samplingTerm
        self.spotShape = spotShape
        self.cellThreshold = cellThreshold
        self.calibration = calibration
    }

    /// Mean energy of one spot (MeV), chosen so that Poisson spot counts times Gamma spot energies
    /// give the sampling resolution: Var(E)/E = (1 + 1/k)·ē = a² (E, ē in GeV).
    public var spotEnergy: Double { samplingTerm * samplingTerm * 1000 / (1 + 1 / spotShape) }

    /// Depth range [start, end] in X₀,eff of the layer at XML position `position`, or nil when the
    /// preset does not know the layer.
    public func depthRange(position: Int, layer: Geometry.Layer) -> (start: Double, end: Double)? {
        switch layerDepths {
        case let .uniform(thickness):
            let x0 = medium.radiationLength
            return (Double(position) * thickness / x0, Double(position + 1) * thickness / x0)
        case let .byLayerID(ranges):
            return ranges[layer.id].map { ($0.start, $0.end) }
        }
    }

    /// Names of the presets.
    public static let names = ["par04", "atlas-like"]

    /// A preset by name (`par04`, `atlas-like`).
    public static func named(_ name: String) throws -> DetectorPreset {
        switch name.lowercased() {
        case "par04": return par04
        case "atlas-like", "atlas": return atlasLike
        default:
            throw CaloDataError.invalidArgument("unknown detector preset '\(name)'; use one of \(names.joined(separator: ", "))")
        }
    }

    /// The preset that matches a geometry: ``atlasLike`` for the dataset-1 geometries (by name, or
    /// by voxel count for their binning XML files), ``par04`` otherwise.
    public static func matching(_ geometry: Geometry) -> DetectorPreset {
        let isDataset1 =
            geometry.name.hasPrefix("ds1") || Geometry.detect(voxels: geometry.voxelCount)?.name.hasPrefix("ds1") == true
        return isDataset1 ? atlasLike : par04
    }

    /// Geant4 Par04 (CaloChallenge datasets 2 and 3, spec §1.5): 90 physical layers of 1.4 mm W +
    /// 0.3 mm Si read out in pairs as 45 layers of 3.4 mm; active energy scaled by 1/0.033; cells
    /// below 0.5 keV active (15.15 keV after scaling) are not stored.
    public static let par04: DetectorPreset = {
        do {
            let medium = try ShowerMedium(cell: [
                .init(.tungsten, thickness: 1.4, isActive: false),
                .init(.silicon, thickness: 0.3, isActive: true),
            ])
            return DetectorPreset(
                name: "par04", summary: "Geant4 Par04 W/Si sampling calorimeter (datasets 2 and 3)", medium: medium,
                layerDepths: .uniform(thickness: 3.4), samplingTerm: 0.10, spotShape: 0.5, cellThreshold: 0.0005 / 0.033)
        } catch {
            preconditionFailure("the Par04 preset is inconsistent: \(error)")
        }
    }()

    /// A coarse stand-in for the ATLAS barrel at |η| ≈ 0.2 (dataset 1). The depths are
    /// approximations from public ATLAS descriptions, not the detector description: ≈1.7 X₀ of
    /// inner detector, solenoid and cryostat before the presampler, the strip, middle and back
    /// accordion samplings (≈4.3, 16 and 2 X₀), ≈1.4 X₀ of cryostat, then the Tile barrel layers.
    /// The whole depth is treated as one Pb/LAr medium, the Tile calorimeter included.
    public static let atlasLike: DetectorPreset = {
        do {
            let medium = try ShowerMedium(cell: [
                .init(.lead, thickness: 1.53, isActive: false),
                .init(.iron, thickness: 0.4, isActive: false),
                .init(.liquidArgon, thickness: 4.2, isActive: true),
            ])
            let depths: [Int: DepthRange] = [
                0: DepthRange(start: 1.7, end: 1.9, label: "PreSamplerB"),
                1: DepthRange(start: 2.3, end: 6.6, label: "EMB1"),
                2: DepthRange(start: 6.6, end: 22.6, label: "EMB2"),
                3: DepthRange(start: 22.6, end: 24.6, label: "EMB3"),
                12: DepthRange(start: 26.0, end: 40.0, label: "TileBar0"),
                13: DepthRange(start: 40.0, end: 70.0, label: "TileBar1"),
                14: DepthRange(start: 70.0, end: 85.0, label: "TileBar2"),
            ]
            return DetectorPreset(
                name: "atlas-like", summary: "approximate ATLAS barrel, Pb/LAr effective medium (dataset 1)", medium: medium,
                layerDepths: .byLayerID(depths), samplingTerm: 0.10, spotShape: 0.5, cellThreshold: 0)
        } catch {
            preconditionFailure("the ATLAS-like preset is inconsistent: \(error)")
        }
    }()
}
