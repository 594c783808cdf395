/// A pure material as the shower parametrisation sees it. Values are the Particle Data Group's
/// "Atomic and nuclear properties of materials" tables.
public struct ShowerMaterial: Sendable, Equatable, Codable {
    public var name: String
    /// Atomic number Z.
    public var atomicNumber: Double
    /// Density in g/cm³.
    public var density: Double
    /// Radiation length X₀ in mm.
    public var radiationLength: Double
    /// Molière radius R_M in mm.
    public var moliereRadius: Double

    public init(name: String, atomicNumber: Double, density: Double, radiationLength: Double, moliereRadius: Double) {
        self.name = name
        self.atomicNumber = atomicNumber
        self.density = density
        self.radiationLength = radiationLength
        self.moliereRadius = moliereRadius
    }

    /// Critical energy in MeV from R_M = E_s·X₀/E_c with the scale energy E_s = 21.2 MeV.
    public var criticalEnergy: Double { ShowerMedium.scaleEnergy * radiationLength / moliereRadius }

    public static let tungsten = ShowerMaterial(
        name: "W", atomicNumber: 74, density: 19.30, radiationLength: 3.504, moliereRadius: 9.327)
    public static let silicon = ShowerMaterial(
        name: "Si", atomicNumber: 14, density: 2.329, radiationLength: 93.70, moliereRadius: 49.44)
    public static let lead = ShowerMaterial(
        name: "Pb", atomicNumber: 82, density: 11.35, radiationLength: 5.612, moliereRadius: 16.02)
    public static let iron = ShowerMaterial(
        name: "Fe", atomicNumber: 26, density: 7.874, radiationLength: 17.57, moliereRadius: 17.19)
    public static let liquidArgon = ShowerMaterial(
        name: "LAr", atomicNumber: 18, density: 1.396, radiationLength: 140.0, moliereRadius: 90.43)
}
