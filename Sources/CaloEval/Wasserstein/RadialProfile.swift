import CaloData

/// Per-event energy at each distinct voxel radius, and the number of hits (voxels above zero after the
/// threshold) at each radius over all events: the radial statistics behind the E_radial W1 observables.
/// Radii are the voxel-centre radii of all relevant layers (spec/calochallenge.md §2.2), so the
/// irregular dataset-1 layers share the rings of equal radius.
public struct RadialProfile: Sendable, Equatable {
    /// Distinct voxel-centre radii (mm), increasing.
    public let radii: [Double]
    /// Index into ``radii`` of every voxel in flat order.
    let radiusIndex: [Int]
    /// Row-major `[events, radii]`: energy (MeV) per event at each radius.
    public private(set) var energies: [Double] = []
    /// Hits per radius, summed over events.
    public private(set) var hits: [Int]

    /// An empty profile for `geometry`.
    public init(geometry: Geometry) {
        var voxelRadii: [Double] = []
        for position in geometry.layers.indices where geometry.layers[position].isRelevant {
            voxelRadii += geometry.voxelCentres(layer: position).r
        }
        radii = Array(Set(voxelRadii)).sorted()
        let lookup = Dictionary(uniqueKeysWithValues: radii.enumerated().map { ($0.element, $0.offset) })
        radiusIndex = voxelRadii.map { lookup[$0]! }
        hits = Array(repeating: 0, count: radii.count)
    }

    /// Number of events appended.
    public var eventCount: Int { radii.isEmpty ? 0 : energies.count / radii.count }

    /// Appends the events of row-major, thresholded showers `[events, voxels]` (MeV).
    ///
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` when the value count is not a whole number of events.
    public mutating func append(showers: [Float]) throws {
        let voxels = radiusIndex.count
        guard voxels > 0, showers.count % voxels == 0 else {
            throw EvaluationError.invalidArgument(
                "radial profile: \(showers.count) values are not a whole number of \(voxels)-voxel events")
        }
        let events = showers.count / voxels
        var row = [Double](repeating: 0, count: radii.count)
        energies.reserveCapacity(energies.count + events * radii.count)
        for event in 0..<events {
            for index in row.indices { row[index] = 0 }
            let base = event * voxels
            for voxel in 0..<voxels {
                let value = showers[base + voxel]
                if value > 0 {
                    row[radiusIndex[voxel]] += Double(value)
                    hits[radiusIndex[voxel]] += 1
                } else if value.isNaN {
                    row[radiusIndex[voxel]] += Double(value)
                }
            }
            energies += row
        }
    }

    /// Energy per event summed over the radii with indices in `range`.
    public func energy(radii range: Range<Int>) -> [Double] {
        let width = radii.count
        return (0..<eventCount).map { event in
            var sum = 0.0
            for index in range { sum += energies[event * width + index] }
            return sum
        }
    }
}
