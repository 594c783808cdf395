import CaloData
import Foundation
import Testing

/// The built-in geometries against spec/calochallenge.md §2.3 (tables copied here by hand) and
/// against the official XMLHandler (features.json), plus the binning XML parser.
@Suite struct GeometryTests {
    static let builtIns: [(name: String, geometry: Geometry)] = [
        ("ds1-photons", .ds1Photons), ("ds1-pions", .ds1Pions), ("ds2", .ds2), ("ds3", .ds3),
    ]
    static let names = builtIns.map(\.name)

    static func builtIn(_ name: String) throws -> Geometry { try Geometry.named(name) }

    // MARK: Spec §2.3 tables

    static let ds1Empty: (edges: [Double], alpha: Int) = ([0], 1)
    static let photonLayers: [Int: (edges: [Double], alpha: Int)] = [
        0: ([0, 5, 10, 30, 50, 100, 200, 400, 600], 1),
        1: ([0, 2, 4, 6, 8, 10, 12, 15, 20, 30, 40, 50, 70, 90, 120, 150, 200], 10),
        2: ([0, 2, 5, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 130, 160, 200, 250, 300, 350, 400], 10),
        3: ([0, 50, 100, 200, 400, 600], 1),
        12: ([0, 100, 200, 400, 1000, 2000], 1),
    ]
    static let pionLayers: [Int: (edges: [Double], alpha: Int)] = [
        0: ([0, 5, 10, 30, 50, 100, 200, 400, 600], 1),
        1: ([0, 1, 4, 7, 10, 15, 30, 50, 90, 150, 200], 10),
        2: ([0, 5, 10, 20, 30, 50, 80, 130, 200, 300, 400], 10),
        3: ([0, 50, 100, 200, 400, 600], 1),
        12: ([0, 10, 20, 30, 50, 80, 100, 130, 160, 200, 250, 300, 350, 400, 1000, 2000], 10),
        13: ([0, 10, 20, 30, 50, 80, 100, 130, 160, 200, 250, 300, 350, 400, 600, 1000, 2000], 10),
        14: ([0, 50, 100, 150, 200, 250, 300, 400, 600, 1000, 2000], 1),
    ]
    static let ds2Edges: [Double] = [0, 4.65, 9.3, 13.95, 18.6, 23.25, 27.9, 32.55, 37.2, 41.85]
    static let ds3Edges: [Double] = [
        0, 2.325, 4.65, 6.975, 9.3, 11.625, 13.95, 16.275, 18.6, 20.925, 23.25, 25.575, 27.9, 30.225, 32.55,
        34.875, 37.2, 39.525, 41.85,
    ]

    /// Every layer of a built-in as (id, radial edges, angular bins), from the spec tables.
    static func specLayers(_ name: String) -> [(id: Int, edges: [Double], alpha: Int)] {
        switch name {
        case "ds1-photons": return (0..<24).map { ($0, photonLayers[$0]?.edges ?? ds1Empty.edges, photonLayers[$0]?.alpha ?? 1) }
        case "ds1-pions": return (0..<24).map { ($0, pionLayers[$0]?.edges ?? ds1Empty.edges, pionLayers[$0]?.alpha ?? 1) }
        case "ds2": return (0..<45).map { ($0, ds2Edges, 16) }
        default: return (0..<45).map { ($0, ds3Edges, 50) }
        }
    }

    @Test(arguments: zip(names, [368, 533, 6480, 40500]))
    func voxelCount(name: String, voxels: Int) throws {
        let geometry = try Self.builtIn(name)
        #expect(geometry.voxelCount == voxels)
        #expect(Geometry.detect(voxels: voxels) == geometry)
    }

    static let specBinEdges: [[Int]] = {
        let photons: [Int] = [0, 8, 168, 358] + Array(repeating: 363, count: 9) + Array(repeating: 368, count: 12)
        let pions: [Int] = [0, 8, 108, 208] + Array(repeating: 213, count: 9) + [363, 523] + Array(repeating: 533, count: 10)
        let ds2: [Int] = (0...45).map { 144 * $0 }
        let ds3: [Int] = (0...45).map { 900 * $0 }
        return [photons, pions, ds2, ds3]
    }()

    @Test(arguments: zip(names, specBinEdges))
    func offsetsMatchSpecBinEdges(name: String, binEdges: [Int]) throws {
        #expect(try Self.builtIn(name).offsets == binEdges)
    }

    @Test(arguments: names)
    func everyRadialEdgeMatchesSpecTables(name: String) throws {
        let geometry = try Self.builtIn(name)
        let expected = Self.specLayers(name)
        try #require(geometry.layers.count == expected.count)
        for (layer, spec) in zip(geometry.layers, expected) {
            #expect(layer.id == spec.id)
            #expect(layer.radialEdges == spec.edges, "layer \(layer.id)")
            #expect(layer.angularBins == spec.alpha, "layer \(layer.id)")
        }
    }

    static let specLayerIDs: [[[Int]]] = [
        [[0, 1, 2, 3, 12], [1, 2]],
        [[0, 1, 2, 3, 12, 13, 14], [1, 2, 12, 13]],
        [Array(0..<45), Array(0..<45)],
        [Array(0..<45), Array(0..<45)],
    ]

    /// Spec §2.3: relevant layers (with voxels) and layers binned in alpha, by id.
    @Test(arguments: zip(names, specLayerIDs))
    func relevantAndAngularlyBinnedLayers(name: String, ids: [[Int]]) throws {
        let geometry = try Self.builtIn(name)
        #expect(geometry.relevantLayers.map(\.id) == ids[0])
        #expect(geometry.layers.filter(\.isAngularlyBinned).map(\.id) == ids[1])
        #expect(HighLevelFeatures(geometry: geometry).layerIDs == ids[0])
    }

    /// Spec §2.2: αⱼ = −π + (j + ½)·2π/N, i.e. (2j + 1 − N)·π/N; a single bin is centred at 0.
    @Test(arguments: [1, 10, 16, 50])
    func angularCentresClosedForm(bins: Int) {
        let layer = Geometry.Layer(id: 0, radialEdges: [0, 1], angularBins: bins)
        let expected = bins == 1 ? [0] : (0..<bins).map { Double(2 * $0 + 1 - bins) * Double.pi / Double(bins) }
        #expect(layer.angularCentres.count == bins)
        for (actual, wanted) in zip(layer.angularCentres, expected) {
            #expect(abs(actual - wanted) <= 4e-15, "N=\(bins): \(actual) vs \(wanted)")
        }
        if bins == 10 { #expect(abs(layer.angularCentres[0] + 0.9 * Double.pi) <= 4e-15) }
        if bins > 1 { #expect(layer.angularCentres.first! < -Double.pi / 2) }
    }

    /// Spec §1.2: radial fastest, then angular, then layer; visiting (layer, α, r) in that nesting
    /// must produce 0, 1, 2, … without gaps.
    @Test(arguments: names)
    func flatIndexIsRadialThenAngularThenLayer(name: String) throws {
        let geometry = try Self.builtIn(name)
        var next = 0
        for (position, layer) in geometry.layers.enumerated() {
            for alpha in 0..<layer.angularBins {
                for r in 0..<layer.radialBins {
                    guard geometry.flatIndex(layer: position, angular: alpha, radial: r) == next else {
                        Issue.record("\(name): (\(position), \(alpha), \(r)) is not flat index \(next)")
                        return
                    }
                    next += 1
                }
            }
        }
        #expect(next == geometry.voxelCount)
    }

    @Test func flatIndexExamples() {
        // ds2/ds3: layer·(N_α·N_r) + α·N_r + r.
        #expect(Geometry.ds2.flatIndex(layer: 7, angular: 5, radial: 3) == 7 * 144 + 5 * 9 + 3)
        #expect(Geometry.ds3.flatIndex(layer: 44, angular: 49, radial: 17) == 40499)
        // ds1: offset[layer] + α·N_r[layer] + r.
        #expect(Geometry.ds1Pions.flatIndex(layer: 12, angular: 3, radial: 4) == 213 + 3 * 15 + 4)
        #expect(Geometry.ds1Photons.flatIndex(layer: 2, angular: 9, radial: 18) == 357)
        #expect(Geometry.ds1Photons.flatIndex(layer: 12, angular: 0, radial: 0) == 363)
    }

    @Test func regularShape() throws {
        let ds2 = try #require(Geometry.ds2.regularShape)
        #expect(ds2.layers == 45 && ds2.angular == 16 && ds2.radial == 9)
        let ds3 = try #require(Geometry.ds3.regularShape)
        #expect(ds3.layers == 45 && ds3.angular == 50 && ds3.radial == 18)
        #expect(Geometry.ds1Photons.regularShape == nil)
        #expect(Geometry.ds1Pions.regularShape == nil)
    }

    // MARK: Against the official XMLHandler

    @Test(arguments: names)
    func matchesOfficialXMLHandler(name: String) throws {
        let geometry = try Self.builtIn(name)
        let official = try #require(try TestFixtures.golden().geometries[name])
        #expect(geometry.offsets == official.binEdges)
        #expect(geometry.relevantLayers.map(\.id) == official.relevantLayers)
        #expect(geometry.layers.filter(\.isAngularlyBinned).map(\.id) == official.alphaLayers)
        #expect(geometry.layers.map(\.radialEdges) == official.radialEdges)
        #expect(geometry.layers.map(\.angularBins) == official.angularBins)
    }

    @Test(arguments: names)
    func voxelCentresMatchOfficial(name: String) throws {
        let geometry = try Self.builtIn(name)
        let official = try #require(try TestFixtures.golden().geometries[name])
        let offsets = geometry.offsets
        try #require(official.voxelCentres.count > 10)
        for voxel in official.voxelCentres {
            let position = voxel.layer
            try #require(offsets[position] <= voxel.index && voxel.index < offsets[position + 1])
            let centres = geometry.voxelCentres(layer: position)
            let k = voxel.index - offsets[position]
            #expect(abs(centres.eta[k] - voxel.eta) <= 1e-12, "\(name) voxel \(voxel.index) eta")
            #expect(abs(centres.phi[k] - voxel.phi) <= 1e-12, "\(name) voxel \(voxel.index) phi")
            #expect(abs(centres.r[k] - voxel.r) <= 1e-12, "\(name) voxel \(voxel.index) r")
        }
    }

    // MARK: XML

    @Test(arguments: names)
    func xmlRoundTrip(name: String) throws {
        let geometry = try Self.builtIn(name)
        let parsed = try Geometry(xml: Data(geometry.xml.utf8), name: geometry.name, particle: geometry.particle)
        #expect(parsed == geometry)
        let firstBin = try Geometry(xml: Data(geometry.xml.utf8), name: geometry.name)
        #expect(firstBin == geometry)
    }

    @Test func parsesOfficialStyleFileWithSeveralBinsAndWhitespace() throws {
        let xml = """
            <?xml version="1.0"?>
            <Bins>
              <Bin pid="22" etaMin="0" etaMax="130" name="photon">
                <Layer id="0" r_edges="0,1,2" n_bin_alpha="1"/>
              </Bin>
              <Bin pid="211"   etaMin="0"  etaMax="80" name="pion" >
                <Layer   id="0"  r_edges="0,5,10,30"   n_bin_alpha="10" />
                <Layer id="1" r_edges="0" n_bin_alpha="1"/>
                <Layer id="2" r_edges="0,2.5" n_bin_alpha="4"/>
              </Bin>
            </Bins>
            """
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("binning_custom.xml")
            try Data(xml.utf8).write(to: url)
            let geometry = try Geometry(xmlFile: url, particle: "pion")
            #expect(geometry.name == "binning_custom")
            #expect(geometry.particle == "pion")
            #expect(geometry.layers == [
                .init(id: 0, radialEdges: [0, 5, 10, 30], angularBins: 10),
                .init(id: 1, radialEdges: [0], angularBins: 1),
                .init(id: 2, radialEdges: [0, 2.5], angularBins: 4),
            ])
            #expect(geometry.voxelCount == 34)
            #expect(geometry.offsets == [0, 30, 30, 34])
        }
    }

    struct BadXML: Sendable, CustomTestStringConvertible {
        let label: String
        let xml: String
        let particle: String?
        /// Text the error message must contain.
        let mentions: [String]
        var testDescription: String { label }
    }

    static func bin(_ layers: String, particle: String = "photon") -> String {
        "<Bins><Bin name=\"\(particle)\">\(layers)</Bin></Bins>"
    }

    static let badXML: [BadXML] = [
        .init(label: "missing r_edges", xml: bin(#"<Layer id="3" n_bin_alpha="1"/>"#), particle: nil, mentions: ["layer 3", "r_edges"]),
        .init(label: "missing n_bin_alpha", xml: bin(#"<Layer id="4" r_edges="0,1"/>"#), particle: nil, mentions: ["layer 4", "n_bin_alpha"]),
        .init(label: "missing id", xml: bin(#"<Layer r_edges="0,1" n_bin_alpha="1"/>"#), particle: nil, mentions: ["id"]),
        .init(label: "non-numeric edge", xml: bin(#"<Layer id="0" r_edges="0,a,10" n_bin_alpha="1"/>"#), particle: nil, mentions: ["layer 0", "0,a,10"]),
        .init(label: "empty edge field", xml: bin(#"<Layer id="0" r_edges="0,5,,10" n_bin_alpha="1"/>"#), particle: nil, mentions: ["layer 0", "0,5,,10"]),
        .init(label: "trailing comma", xml: bin(#"<Layer id="0" r_edges="0,5," n_bin_alpha="1"/>"#), particle: nil, mentions: ["layer 0", "0,5,"]),
        .init(label: "infinite edge", xml: bin(#"<Layer id="0" r_edges="0,5,inf" n_bin_alpha="1"/>"#), particle: nil, mentions: ["layer 0", "inf"]),
        .init(label: "decreasing edges", xml: bin(#"<Layer id="2" r_edges="0,10,5" n_bin_alpha="1"/>"#), particle: nil, mentions: ["layer 2", "increasing"]),
        .init(label: "zero angular bins", xml: bin(#"<Layer id="5" r_edges="0,1" n_bin_alpha="0"/>"#), particle: nil, mentions: ["layer 5", "n_bin_alpha"]),
        .init(label: "non-integer angular bins", xml: bin(#"<Layer id="5" r_edges="0,1" n_bin_alpha="2.5"/>"#), particle: nil, mentions: ["layer 5", "n_bin_alpha"]),
        .init(label: "duplicate layer id", xml: bin(#"<Layer id="1" r_edges="0,1" n_bin_alpha="1"/><Layer id="1" r_edges="0,2" n_bin_alpha="1"/>"#), particle: nil, mentions: ["layer id 1"]),
        .init(label: "no layers", xml: bin(""), particle: nil, mentions: ["no layers"]),
        .init(label: "unknown particle", xml: bin(#"<Layer id="0" r_edges="0,1" n_bin_alpha="1"/>"#), particle: "muon", mentions: ["muon", "photon"]),
        .init(label: "no Bin at all", xml: "<Bins></Bins>", particle: nil, mentions: ["<Bin>"]),
        .init(label: "truncated tag", xml: #"<Bins><Bin name="photon"><Layer id="0" r_edges="0,1""#, particle: nil, mentions: ["not valid XML"]),
        .init(label: "mismatched tags", xml: #"<Bins><Bin name="photon"></Bins>"#, particle: nil, mentions: ["not valid XML"]),
        .init(label: "unclosed root", xml: bin(#"<Layer id="0" r_edges="0,1" n_bin_alpha="1"/>"#).replacingOccurrences(of: "</Bins>", with: ""),
              particle: nil, mentions: ["not valid XML"]),
        .init(label: "content after the root", xml: bin(#"<Layer id="0" r_edges="0,1" n_bin_alpha="1"/>"#) + "<Bins/>", particle: nil, mentions: ["not valid XML"]),
        .init(label: "not XML at all", xml: "r_edges=0,1,2", particle: nil, mentions: ["not valid XML"]),
        .init(label: "empty document", xml: "", particle: nil, mentions: ["broken.xml"]),
    ]

    @Test(arguments: badXML)
    func parsingErrorsNameTheProblem(_ bad: BadXML) throws {
        do {
            let geometry = try Geometry(xml: Data(bad.xml.utf8), name: "broken.xml", particle: bad.particle)
            Issue.record("parsed \(geometry.layers) instead of throwing")
        } catch let error as CaloDataError {
            guard case .invalidGeometry(let source, _) = error else {
                Issue.record("expected invalidGeometry, got \(error)")
                return
            }
            #expect(source == "broken.xml")
            #expect(error.description.contains("broken.xml"))
            for needle in bad.mentions {
                #expect(error.description.contains(needle), "'\(error.description)' lacks '\(needle)'")
            }
        }
    }

    @Test func missingXMLFileIsInvalidGeometry() {
        let path = "/nonexistent/binning_dataset_9.xml"
        #expect {
            try Geometry(xmlFile: URL(fileURLWithPath: path))
        } throws: { error in
            guard case .invalidGeometry(let source, let reason)? = error as? CaloDataError else { return false }
            return source == path && reason.contains("cannot be read")
        }
    }

    @Test(arguments: ["ds4", "dataset_2", ""])
    func unknownBuiltInName(name: String) {
        #expect(throws: CaloDataError.unknownGeometry(name)) { try Geometry.named(name) }
        let message = CaloDataError.unknownGeometry(name).description
        #expect(message.contains("'\(name)'"))
        #expect(Geometry.builtInNames.allSatisfy(message.contains))
    }

    @Test(arguments: [("1-photons", "ds1-photons"), ("PIONS", "ds1-pions"), ("2", "ds2"), ("3", "ds3")])
    func evaluatePySpellingsAreAccepted(alias: String, name: String) throws {
        #expect(try Geometry.named(alias).name == name)
    }
}
