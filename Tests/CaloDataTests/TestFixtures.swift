import Foundation
import Testing

/// The checked-in fixtures of Tests/CaloDataTests/Fixtures (written by make_feature_fixtures.py).
enum TestFixtures {
    /// URL of a fixture file.
    static func url(_ name: String) throws -> URL {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "Fixtures folder missing from the test bundle")
        let url = directory.appendingPathComponent(name)
        try #require(FileManager.default.fileExists(atPath: url.path), "fixture \(name) missing")
        return url
    }

    /// Golden values from the official CaloChallenge code (features.json).
    static func golden() throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url("features.json")))
    }
}

/// features.json: official-code outputs for the fixture files and the four geometries.
struct Golden: Decodable {
    struct Provenance: Decodable {
        let commit: String
    }

    struct VoxelCentre: Decodable {
        let index: Int
        let layer: Int
        let eta: Double
        let phi: Double
        let r: Double
    }

    struct GeometryFacts: Decodable {
        let binEdges: [Int]
        let relevantLayers: [Int]
        let alphaLayers: [Int]
        let radialEdges: [[Double]]
        let angularBins: [Int]
        let voxelCentres: [VoxelCentre]

        enum CodingKeys: String, CodingKey {
            case binEdges = "bin_edges", relevantLayers = "relevant_layers", alphaLayers = "alpha_layers"
            case radialEdges = "r_edges", angularBins = "n_bin_alpha", voxelCentres = "voxel_centres"
        }
    }

    struct Features: Decodable {
        let threshold: Double
        let incidentEnergies: [Double]
        let totalEnergy: [Double]
        let energyRatio: [Double]
        /// Layer id → official feature name (`E_layer`, `EC_eta`, …) → one value per event.
        let layers: [String: [String: [Double]]]

        enum CodingKeys: String, CodingKey {
            case threshold, layers
            case incidentEnergies = "incident_energies", totalEnergy = "E_tot", energyRatio = "E_ratio"
        }
    }

    let provenance: Provenance
    let geometries: [String: GeometryFacts]
    let features: [String: Features]
}

/// A fresh temporary folder, removed by `body`'s end.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}
