import Foundation

/// Summary statistics of a CaloChallenge file, computed in one streaming pass (float64): the
/// incident-energy range and histogram, sparsity, E_dep/E_inc, and the mean longitudinal (per
/// layer) and radial profiles. It checks nothing; ``CaloChallengeReader/validateValues(batchSize:)``
/// does.
public struct CaloChallengeSummary: Codable, Sendable, Equatable {
    /// One bin of the incident-energy histogram (MeV); `lower == upper` for a discrete value.
    public struct EnergyBin: Codable, Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var events: Int
    }

    /// One non-empty layer.
    public struct LayerSummary: Codable, Sendable, Equatable {
        public var id: Int
        public var voxels: Int
        /// Mean energy per event in the layer (MeV).
        public var meanEnergy: Double
        /// Fraction of the layer's voxels that are 0, averaged over events.
        public var sparsity: Double
    }

    /// One radial bin of the mean radial profile (edges in mm).
    public struct RadialBin: Codable, Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        /// Mean energy per event in the bin (MeV), summed over angular bins and the layers used.
        public var meanEnergy: Double
    }

    public var path: String
    public var geometry: String
    public var voxels: Int
    public var events: Int
    /// False for a file left by an interrupted writer.
    public var isComplete: Bool
    public var incidentEnergyMinimum: Double
    public var incidentEnergyMaximum: Double
    public var incidentEnergyHistogram: [EnergyBin]
    /// Fraction of all voxels that are 0.
    public var sparsity: Double
    /// Mean number of non-zero voxels per event.
    public var meanHits: Double
    /// Mean and standard deviation over events of E_dep/E_inc (E_dep = sum of the voxels).
    public var meanEnergyRatio: Double
    public var energyRatioStandardDeviation: Double
    public var layers: [LayerSummary]
    /// Which layers the radial profile sums: "all layers" (regular geometries) or "layer N" (the
    /// layer with the most energy, when layers have different radial binnings).
    public var radialProfileLayers: String
    public var radialProfile: [RadialBin]

    /// Reads `reader` in batches of `batchSize` events.
    public init(reader: CaloChallengeReader, batchSize: Int = 1024) throws {
        let geometry = reader.geometry
        let n = reader.eventCount
        path = reader.path
        self.geometry = geometry.name
        voxels = geometry.voxelCount
        events = n
        isComplete = reader.isComplete
        let incident = try reader.incidentEnergies(0..<n)
        let usable = incident.filter { $0.isFinite && $0 > 0 }
        incidentEnergyMinimum = usable.min() ?? 0
        incidentEnergyMaximum = usable.max() ?? 0
        incidentEnergyHistogram = Self.histogram(incident)

        let offsets = geometry.offsets
        let positions = geometry.layers.indices.filter { geometry.layers[$0].isRelevant }
        var layerEnergy = [Double](repeating: 0, count: positions.count)
        var layerZeros = [Double](repeating: 0, count: positions.count)
        var voxelEnergy = [Double](repeating: 0, count: geometry.voxelCount)
        var zeros = 0.0
        var ratioSum = 0.0
        var ratioSquares = 0.0
        var start = 0
        while start < n {
            let range = start..<Swift.min(start + batchSize, n)
            let batch = try reader.showers(range)
            for (row, event) in range.enumerated() {
                let base = row * geometry.voxelCount
                var total = 0.0
                for (slot, position) in positions.enumerated() {
                    var energy = 0.0
                    var empty = 0
                    for v in offsets[position]..<offsets[position + 1] {
                        let value = Double(batch[base + v])
                        energy += value
                        voxelEnergy[v] += value
                        if value == 0 { empty += 1 }
                    }
                    layerEnergy[slot] += energy
                    layerZeros[slot] += Double(empty) / Double(geometry.layers[position].voxelCount)
                    zeros += Double(empty)
                    total += energy
                }
                let ratio = total / incident[event]
                ratioSum += ratio
                ratioSquares += ratio * ratio
            }
            start = range.upperBound
        }
        let count = Double(Swift.max(n, 1))
        sparsity = zeros / (count * Double(Swift.max(geometry.voxelCount, 1)))
        meanHits = Double(geometry.voxelCount) * (1 - sparsity)
        meanEnergyRatio = ratioSum / count
        energyRatioStandardDeviation = (Swift.max(ratioSquares / count - meanEnergyRatio * meanEnergyRatio, 0)).squareRoot()
        layers = positions.enumerated().map { slot, position in
            LayerSummary(
                id: geometry.layers[position].id, voxels: geometry.layers[position].voxelCount,
                meanEnergy: layerEnergy[slot] / count, sparsity: layerZeros[slot] / count)
        }

        // Radial profile: every layer when they share one binning, else the layer with most energy.
        let profilePositions: [Int]
        if geometry.regularShape != nil {
            profilePositions = positions
            radialProfileLayers = "all layers"
        } else {
            let best = positions.indices.max { layerEnergy[$0] < layerEnergy[$1] }.map { positions[$0] }
            profilePositions = best.map { [$0] } ?? []
            radialProfileLayers = best.map { "layer \(geometry.layers[$0].id)" } ?? "no layers"
        }
        var radial: [RadialBin] = []
        if let first = profilePositions.first {
            let edges = geometry.layers[first].radialEdges
            radial = (0..<geometry.layers[first].radialBins).map {
                RadialBin(lower: edges[$0], upper: edges[$0 + 1], meanEnergy: 0)
            }
            for position in profilePositions {
                let layer = geometry.layers[position]
                for alpha in 0..<layer.angularBins {
                    for r in 0..<layer.radialBins {
                        radial[r].meanEnergy +=
                            voxelEnergy[geometry.flatIndex(layer: position, angular: alpha, radial: r)] / count
                    }
                }
            }
        }
        radialProfile = radial
    }

    /// One bin per value when there are at most 16 distinct energies (dataset 1), else 10
    /// logarithmic bins between the smallest and largest energy. Non-finite and non-positive
    /// energies are left out (validation reports them).
    static func histogram(_ all: [Double]) -> [EnergyBin] {
        let energies = all.filter { $0.isFinite && $0 > 0 }
        guard let low = energies.min(), let high = energies.max() else { return [] }
        let distinct = Set(energies)
        if distinct.count <= 16 {
            var counts: [Double: Int] = [:]
            for e in energies { counts[e, default: 0] += 1 }
            return distinct.sorted().map { EnergyBin(lower: $0, upper: $0, events: counts[$0]!) }
        }
        let bins = 10
        let logLow = Foundation.log(low)
        let width = (Foundation.log(high) - logLow) / Double(bins)
        var result = (0..<bins).map {
            EnergyBin(
                lower: Foundation.exp(logLow + Double($0) * width), upper: Foundation.exp(logLow + Double($0 + 1) * width),
                events: 0)
        }
        result[0].lower = low
        result[bins - 1].upper = high
        for e in energies {
            let index = width > 0 ? Swift.min(Int((Foundation.log(e) - logLow) / width), bins - 1) : 0
            result[Swift.max(index, 0)].events += 1
        }
        return result
    }
}
