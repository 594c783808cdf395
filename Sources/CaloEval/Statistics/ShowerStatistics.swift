import CaloData

/// Summary statistics of one file's showers for the evaluation figures, accumulated batch by batch
/// while the file is read: the energy summed per voxel (→ mean shower images, mean longitudinal and
/// radial profiles), mean and spread of every per-layer feature (→ centre and width per layer), and
/// the binned energy response. Small and Codable: `voxels + 8·layers + bins` numbers, whatever the
/// number of events.
///
/// Inputs are thresholded showers (spec/calochallenge.md §4.4) and the official features of the
/// same events (§3). Derived quantities take the geometry the statistics were made with; another
/// geometry is a programmer error and traps.
public struct ShowerStatistics: Sendable, Equatable, Codable {
    /// Voxels per event of the geometry.
    public let voxelCount: Int
    /// Ids of the relevant layers, increasing (the order of every per-layer array).
    public let layerIDs: [Int]
    /// Events accumulated.
    public private(set) var eventCount = 0
    /// Energy summed over events, per voxel in flat order (MeV).
    public private(set) var voxelEnergySums: [Double]
    /// Per-layer feature moments by ``HistogramObservable/Quantity`` raw value (`E_layer`, `EC_eta`,
    /// `EC_phi`, `Width_eta`, `Width_phi`, `EC_r`, `Width_r`, `Sparsity`), one entry per relevant
    /// layer; the η and φ quantities are empty (count 0) for layers without angular bins.
    public private(set) var layerMoments: [String: [RunningMoments]]
    /// E_dep / E_inc in incident-energy bins; nil when no bins were given.
    public private(set) var response: BinnedResponse?

    /// The per-layer quantities accumulated in ``layerMoments``.
    public static let layerQuantities: [HistogramObservable.Quantity] = [
        .layerEnergy, .etaCentre, .phiCentre, .etaWidth, .phiWidth, .rCentre, .rWidth, .sparsity,
    ]

    /// Empty statistics for `geometry`, with the response binned on `incidentEnergyEdges` (MeV; nil
    /// for no response).
    ///
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` for invalid edges (see ``BinnedResponse``).
    public init(geometry: Geometry, incidentEnergyEdges: [Double]?) throws {
        voxelCount = geometry.voxelCount
        layerIDs = geometry.relevantLayers.map(\.id).sorted()
        voxelEnergySums = Array(repeating: 0, count: geometry.voxelCount)
        let empty = Array(repeating: RunningMoments(), count: layerIDs.count)
        layerMoments = Dictionary(uniqueKeysWithValues: Self.layerQuantities.map { ($0.rawValue, empty) })
        response = try incidentEnergyEdges.map { try BinnedResponse(incidentEnergyEdges: $0) }
    }

    /// Adds a batch: thresholded showers `[events, voxels]` (MeV, row-major) and their features.
    ///
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` when the showers are not
    ///   `features.eventCount` events of ``voxelCount`` voxels, or the features have other layers.
    public mutating func append(showers: [Float], features: HighLevelFeatures) throws {
        let events = features.eventCount
        guard showers.count == events * voxelCount else {
            throw EvaluationError.invalidArgument(
                "shower statistics: \(events) events need \(events * voxelCount) voxel values (\(voxelCount) per event), got \(showers.count)"
            )
        }
        guard features.layerIDs == layerIDs else {
            throw EvaluationError.invalidArgument(
                "shower statistics: features of layers \(features.layerIDs) do not match the geometry's layers \(layerIDs)")
        }
        let voxels = voxelCount
        voxelEnergySums.withUnsafeMutableBufferPointer { sums in
            showers.withUnsafeBufferPointer { values in
                for event in 0..<events {
                    let base = event * voxels
                    for voxel in 0..<voxels { sums[voxel] += Double(values[base + voxel]) }
                }
            }
        }
        for quantity in Self.layerQuantities {
            var moments = layerMoments[quantity.rawValue] ?? []
            for (index, layer) in features.layers.enumerated() {
                for value in Self.values(of: quantity, in: layer) { moments[index].add(value) }
            }
            layerMoments[quantity.rawValue] = moments
        }
        if response != nil {
            for (incident, total) in zip(features.incidentEnergy, features.totalEnergy) {
                response?.add(incidentEnergy: incident, depositedEnergy: total)
            }
        }
        eventCount += events
    }

    static func values(of quantity: HistogramObservable.Quantity, in layer: LayerFeatures) -> [Double] {
        switch quantity {
        case .layerEnergy: return layer.energy
        case .etaCentre: return layer.etaCentre ?? []
        case .phiCentre: return layer.phiCentre ?? []
        case .etaWidth: return layer.etaWidth ?? []
        case .phiWidth: return layer.phiWidth ?? []
        case .rCentre: return layer.rCentre
        case .rWidth: return layer.rWidth
        case .sparsity: return layer.sparsity
        case .energyRatio, .energyRatioSlice, .voxelEnergy: return []
        }
    }

    /// Moments of a per-layer quantity, one per relevant layer (increasing id); nil for quantities
    /// that are not per layer.
    public func moments(of quantity: HistogramObservable.Quantity) -> [RunningMoments]? {
        layerMoments[quantity.rawValue]
    }

    /// Mean energy per voxel in flat order (MeV): the mean shower. NaN without events.
    public var meanVoxelEnergies: [Double] {
        let events = Double(eventCount)
        return voxelEnergySums.map { eventCount > 0 ? $0 / events : .nan }
    }

    /// The mean shower of the layer with id `id`: its voxels in flat order (angular outer, radial
    /// inner), MeV; nil when the layer has no voxels or is not in `geometry`.
    public func meanImage(layer id: Int, geometry: Geometry) -> [Double]? {
        precondition(
            geometry.voxelCount == voxelCount,
            "statistics of \(voxelCount) voxels used with a \(geometry.voxelCount)-voxel geometry")
        guard let position = geometry.layers.firstIndex(where: { $0.id == id }), geometry.layers[position].isRelevant else {
            return nil
        }
        let offsets = geometry.offsets
        let events = Double(eventCount)
        return voxelEnergySums[offsets[position]..<offsets[position + 1]].map { eventCount > 0 ? $0 / events : .nan }
    }

    /// The mean longitudinal profile: mean energy per relevant layer (MeV), in ``layerIDs`` order.
    public func meanLayerEnergies(geometry: Geometry) -> [Double] {
        layerIDs.map { id in (meanImage(layer: id, geometry: geometry) ?? []).reduce(0, +) }
    }

    /// The mean radial profile dE/dr (MeV per mm of radius), summed over the relevant layers and the
    /// angular bins: each layer's mean energy per radial bin divided by the bin's width, added on the
    /// union of all layers' radial edges (so layers with different binnings, as in dataset 1, add up
    /// correctly; a layer contributes 0 beyond its outer edge).
    ///
    /// - Returns: the union of the radial edges (mm, starting at 0) and one value per interval.
    public func meanRadialProfile(geometry: Geometry) -> (radialEdges: [Double], values: [Double]) {
        let layers = geometry.relevantLayers
        let edges = Array(Set(layers.flatMap(\.radialEdges))).sorted()
        guard edges.count >= 2 else { return (edges, []) }
        var values = [Double](repeating: 0, count: edges.count - 1)
        for layer in layers {
            guard let image = meanImage(layer: layer.id, geometry: geometry) else { continue }
            let radialBins = layer.radialBins
            for r in 0..<radialBins {
                var energy = 0.0
                for alpha in 0..<layer.angularBins { energy += image[alpha * radialBins + r] }
                let low = layer.radialEdges[r], high = layer.radialEdges[r + 1]
                let density = energy / (high - low)
                for (index, lower) in edges.dropLast().enumerated() where lower >= low && edges[index + 1] <= high {
                    values[index] += density
                }
            }
        }
        return (edges, values)
    }
}
