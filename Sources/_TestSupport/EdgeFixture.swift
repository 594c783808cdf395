import Foundation

/// Tests/CaloDataTests/Fixtures/edges-ds2.json, written by make_edge_fixtures.py next to edges-ds2.h5:
/// ds2 showers whose features sit on histogram bin edges, with the official code's features, bins and
/// separation powers. Read by the CaloData tests (features) and the CaloEval tests (histograms).
public struct EdgeFixture: Decodable, Sendable {
    /// numpy's sum of the first `count` terms 1/(i + 1), in float32 or float64.
    public struct PairwiseSum: Decodable, Sendable {
        public let count: Int
        public let sum: Double
    }

    /// One feature value placed next to a bin edge.
    public struct Target: Decodable, Sendable {
        public let event: Int
        /// Observable key as in metrics.json (`E_ratio`, `E_layer_3`, `Width_eta_12`, …).
        public let key: String
        /// The official value.
        public let value: Double
        /// np.histogram's bin of `value` on `edges[key]`.
        public let bin: Int
        /// The bin a float64 sequential sum lands in (CaloForge before numpy-order sums).
        public let sequentialBin: Int

        public init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            event = try row.decode(Int.self)
            key = try row.decode(String.self)
            value = try row.decode(Double.self)
            bin = try row.decode(Int.self)
            sequentialBin = try row.decode(Int.self)
        }
    }

    /// The readout threshold the showers were cut at (MeV).
    public let threshold: Double
    /// `float32` and `float64` sums by length.
    public let pairwiseSums: [String: [PairwiseSum]]
    public let incidentEnergies: [Double]
    public let totalEnergy: [Double]
    /// Every official feature per event, by observable key.
    public let features: [String: [Double]]
    /// Bin edges: per E_layer key, and per quantity (`E_ratio`, `EC_eta`, `Width_r`, …) for fixed binnings.
    public let edges: [String: [Double]]
    public let targets: [Target]
    /// Separation power of the even against the odd events, by observable key.
    public let separationPowers: [String: Double]

    enum CodingKeys: String, CodingKey {
        case threshold, features, edges, targets
        case pairwiseSums = "pairwise_sums", incidentEnergies = "incident_energies", totalEnergy = "E_tot"
        case separationPowers = "separation_powers"
    }

    /// The folder holding edges-ds2.h5 and edges-ds2.json in the source tree.
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/CaloDataTests/Fixtures")

    /// Path of edges-ds2.h5.
    public static var showersPath: String { directory.appendingPathComponent("edges-ds2.h5").path }

    /// Reads edges-ds2.json.
    public static func load() throws -> EdgeFixture {
        try JSONDecoder().decode(EdgeFixture.self, from: Data(contentsOf: directory.appendingPathComponent("edges-ds2.json")))
    }

    /// The edges of an observable key: its own (E_layer) or its quantity's (`Width_eta_12` → `Width_eta`).
    public func edges(of key: String) -> [Double]? {
        edges[key] ?? key.lastIndex(of: "_").flatMap { edges[String(key[..<$0])] }
    }
}
