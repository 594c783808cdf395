import Foundation

extension Geometry {
    /// Names of the built-in official geometries.
    public static let builtInNames = ["ds1-photons", "ds1-pions", "ds2", "ds3"]

    /// A built-in geometry by name (`ds1-photons`, `ds1-pions`, `ds2`, `ds3`; `1-photons`, `2`, … as
    /// evaluate.py spells them are accepted too).
    public static func named(_ name: String) throws -> Geometry {
        switch name.lowercased() {
        case "ds1-photons", "1-photons", "photons": return ds1Photons
        case "ds1-pions", "1-pions", "pions": return ds1Pions
        case "ds2", "2": return ds2
        case "ds3", "3": return ds3
        default: throw CaloDataError.unknownGeometry(name)
        }
    }

    /// Built-in geometries whose voxel count is `voxels` (used to detect a file's geometry).
    public static func detect(voxels: Int) -> Geometry? {
        [ds1Photons, ds1Pions, ds2, ds3].first { $0.voxelCount == voxels }
    }

    /// Dataset 1, photons: 368 voxels in layers 0, 1, 2, 3, 12 (spec §2.3).
    public static let ds1Photons = builtIn(name: "ds1-photons", xml: ds1PhotonsXML, particle: "photon")
    /// Dataset 1, pions: 533 voxels in layers 0, 1, 2, 3, 12, 13, 14 (spec §2.3).
    public static let ds1Pions = builtIn(name: "ds1-pions", xml: ds1PionsXML, particle: "pion")
    /// Dataset 2: 45 layers × 16 angular × 9 radial bins = 6480 voxels (spec §2.3).
    public static let ds2 = builtIn(name: "ds2", xml: regularXML(radialEdges: ds2Edges, angularBins: 16), particle: "electron")
    /// Dataset 3: 45 layers × 50 angular × 18 radial bins = 40500 voxels (spec §2.3).
    public static let ds3 = builtIn(name: "ds3", xml: regularXML(radialEdges: ds3Edges, angularBins: 50), particle: "electron")

    private static func builtIn(name: String, xml: String, particle: String) -> Geometry {
        do {
            return try Geometry(xml: Data(xml.utf8), name: name, particle: particle)
        } catch {
            preconditionFailure("built-in geometry \(name) does not parse: \(error)")
        }
    }

    // The radial edges are written as the decimal strings of the official XML files, so that the
    // parsed doubles are bit-identical to what the official code reads.
    private static let ds2Edges = "0,4.65,9.3,13.95,18.6,23.25,27.9,32.55,37.2,41.85"
    private static let ds3Edges = "0,2.325,4.65,6.975,9.3,11.625,13.95,16.275,18.6,20.925,23.25,25.575,27.9,30.225,32.55,34.875,37.2,39.525,41.85"

    private static func regularXML(radialEdges: String, angularBins: Int) -> String {
        var lines = ["<Bins>", "<Bin pid=\"11\" name=\"electron\">"]
        for id in 0..<45 { lines.append("<Layer id=\"\(id)\" r_edges=\"\(radialEdges)\" n_bin_alpha=\"\(angularBins)\"/>") }
        lines += ["</Bin>", "</Bins>"]
        return lines.joined(separator: "\n")
    }

    private static func ds1XML(pid: Int, particle: String, etaMax: Int, filled: [Int: (String, Int)]) -> String {
        var lines = ["<Bins>", "<Bin pid=\"\(pid)\" etaMin=\"0\" etaMax=\"\(etaMax)\" name=\"\(particle)\">"]
        for id in 0..<24 {
            let (edges, alpha) = filled[id] ?? ("0", 1)
            lines.append("<Layer id=\"\(id)\" r_edges=\"\(edges)\" n_bin_alpha=\"\(alpha)\"/>")
        }
        lines += ["</Bin>", "</Bins>"]
        return lines.joined(separator: "\n")
    }

    private static let ds1PhotonsXML = ds1XML(pid: 22, particle: "photon", etaMax: 130, filled: [
        0: ("0,5,10,30,50,100,200,400,600", 1),
        1: ("0,2,4,6,8,10,12,15,20,30,40,50,70,90,120,150,200", 10),
        2: ("0,2,5,10,15,20,25,30,40,50,60,80,100,130,160,200,250,300,350,400", 10),
        3: ("0,50,100,200,400,600", 1),
        12: ("0,100,200,400,1000,2000", 1),
    ])

    private static let ds1PionsXML = ds1XML(pid: 211, particle: "pion", etaMax: 80, filled: [
        0: ("0,5,10,30,50,100,200,400,600", 1),
        1: ("0,1,4,7,10,15,30,50,90,150,200", 10),
        2: ("0,5,10,20,30,50,80,130,200,300,400", 10),
        3: ("0,50,100,200,400,600", 1),
        12: ("0,10,20,30,50,80,100,130,160,200,250,300,350,400,1000,2000", 10),
        13: ("0,10,20,30,50,80,100,130,160,200,250,300,350,400,600,1000,2000", 10),
        14: ("0,50,100,150,200,250,300,400,600,1000,2000", 1),
    ])
}
