/// The official CaloChallenge high-level features of a set of events, one value per event
/// (spec/calochallenge.md §3, `HighLevelFeatures.CalculateFeatures` of the official code):
/// E_tot, E_tot / E_inc, and per relevant layer E_layer, EC_r, Width_r, Sparsity, plus EC_eta,
/// EC_phi, Width_eta, Width_phi for angularly binned layers.
///
/// Inputs are showers `[events, voxels]` (MeV, Float, flattened as in §1.2) that are already
/// thresholded (see ``ReadoutThreshold``). Layers are ordered by increasing id. Computing features
/// is pure: no I/O; to stream a whole file use ``CaloChallengeReader/highLevelFeatures(threshold:batchSize:)``.
///
/// Every value equals evaluate.py's bit for bit, because it is computed as evaluate.py computes it
/// from the float32 array it reads: E_tot, E_layer and the denominators Σ E + 1e-16 are float32 sums
/// (and a float32 addition of 1e-16), the moments Σ x E and Σ x² E are float64 sums of float64
/// products, and every sum is numpy's pairwise sum (``pairwiseSum(count:_:)``). A float64 sum in
/// any other order moves values by float32 rounding, which is enough to move an event across a
/// histogram bin edge.
public struct HighLevelFeatures: Sendable, Equatable {
    /// Incident energy E_inc of every event (MeV).
    public private(set) var incidentEnergy: [Double] = []
    /// `E_tot`: the sum of all voxels of every event (MeV).
    public private(set) var totalEnergy: [Double] = []
    /// Features of every relevant layer (those with voxels), in increasing id order.
    public private(set) var layers: [LayerFeatures]

    /// Number of events.
    public var eventCount: Int { totalEnergy.count }

    /// `E_tot / E_inc` of every event, divided without a guard as the official plotting code does.
    public var energyRatio: [Double] { zip(totalEnergy, incidentEnergy).map { $0 / $1 } }

    /// Ids of the relevant layers, increasing.
    public var layerIDs: [Int] { layers.map(\.id) }

    /// The features of the layer with this id, or nil when the layer has no voxels or is unknown.
    public subscript(layer id: Int) -> LayerFeatures? {
        layers.first { $0.id == id }
    }

    /// No events yet, with one empty ``LayerFeatures`` per relevant layer of `geometry`.
    public init(geometry: Geometry) {
        self.init(layout: FeatureLayout(geometry: geometry))
    }

    /// Computes the features of `incidentEnergies.count` events.
    ///
    /// - Parameters:
    ///   - showers: row-major `[events, voxels]` in MeV, thresholded beforehand.
    ///   - incidentEnergies: E_inc of each event in MeV.
    ///   - geometry: the geometry the voxels are flattened in.
    /// - Throws: ``CaloDataError/invalidArgument(_:)`` when `showers` does not hold
    ///   `incidentEnergies.count × geometry.voxelCount` values.
    public init(showers: [Float], incidentEnergies: [Double], geometry: Geometry) throws {
        let layout = FeatureLayout(geometry: geometry)
        self.init(layout: layout)
        try append(showers: showers, incidentEnergies: incidentEnergies, layout: layout)
    }

    init(layout: FeatureLayout) {
        layers = layout.layers.map { LayerFeatures(id: $0.id, isAngularlyBinned: $0.isAngularlyBinned) }
    }

    /// Appends the events of `other`, which must have the same relevant layers.
    ///
    /// - Throws: ``CaloDataError/invalidArgument(_:)`` when the layers differ.
    public mutating func append(_ other: HighLevelFeatures) throws {
        guard other.layerIDs == layerIDs,
            zip(other.layers, layers).allSatisfy({ $0.isAngularlyBinned == $1.isAngularlyBinned })
        else {
            throw CaloDataError.invalidArgument(
                "cannot append features of layers \(other.layerIDs) to features of layers \(layerIDs); compute both with the same geometry")
        }
        incidentEnergy += other.incidentEnergy
        totalEnergy += other.totalEnergy
        for index in layers.indices { layers[index].append(contentsOf: other.layers[index]) }
    }

    /// Reserves room for `count` events in every array.
    mutating func reserveCapacity(_ count: Int) {
        incidentEnergy.reserveCapacity(count)
        totalEnergy.reserveCapacity(count)
        for index in layers.indices { layers[index].reserveCapacity(count) }
    }

    /// Computes the features of a batch and appends them; `layout` must be the one `self` was made with.
    mutating func append(showers: [Float], incidentEnergies: [Double], layout: FeatureLayout) throws {
        let events = incidentEnergies.count
        guard showers.count == events * layout.voxelCount else {
            throw CaloDataError.invalidArgument(
                "high-level features: \(events) incident energies need \(events * layout.voxelCount) voxel values (\(layout.voxelCount) per event), got \(showers.count)")
        }
        precondition(layers.map(\.id) == layout.layers.map(\.id), "feature layout does not match the features")
        incidentEnergy += incidentEnergies
        showers.withUnsafeBufferPointer { values in
            for event in 0..<events {
                let row = UnsafeBufferPointer(rebasing: values[(event * layout.voxelCount)..<((event + 1) * layout.voxelCount)])
                totalEnergy.append(Double(pairwiseSum(row)))
                for (index, layer) in layout.layers.enumerated() {
                    layers[index].appendEvent(UnsafeBufferPointer(rebasing: row[layer.voxels]), layer: layer)
                }
            }
        }
    }
}

extension LayerFeatures {
    /// Appends one event's features from the layer's slice of the shower (spec §3 table), with
    /// evaluate.py's float32 and float64 sums (see ``HighLevelFeatures``).
    mutating func appendEvent(_ voxels: UnsafeBufferPointer<Float>, layer: FeatureLayout.Layer) {
        let sum = pairwiseSum(voxels)
        // numpy adds the Python float 1e-16 to a float32 array in float32 (it only changes an empty layer).
        let denominator = Double(sum + Float(1e-16))
        func moment(_ coordinate: [Double]) -> Double {
            coordinate.withUnsafeBufferPointer { x in pairwiseSum(count: voxels.count) { x[$0] * Double(voxels[$0]) } }
        }
        var hits = 0
        for value in voxels where value > 0 { hits += 1 }
        energy.append(Double(sum))
        // The official sparsity is 1 − mean(E > 0): numpy's mean of booleans is count / n in float64.
        sparsity.append(1 - Double(hits) / Double(voxels.count))
        let rCentre = moment(layer.r) / denominator
        self.rCentre.append(rCentre)
        rWidth.append(energyWidth(moment(layer.rSquared) / denominator, centre: rCentre))
        if layer.isAngularlyBinned {
            let eta = moment(layer.eta) / denominator
            let phi = moment(layer.phi) / denominator
            etaCentre?.append(eta)
            phiCentre?.append(phi)
            etaWidth?.append(energyWidth(moment(layer.etaSquared) / denominator, centre: eta))
            phiWidth?.append(energyWidth(moment(layer.phiSquared) / denominator, centre: phi))
        }
    }
}

/// Width sqrt(max(Σ x² E / (Σ E + 1e-16) − centre², 0)) from the second moment Σ x² E / (Σ E + 1e-16)
/// (spec §3). The clip guards the cancellation in the difference of moments; written as a comparison
/// so that NaN propagates as `np.clip` lets it.
@inline(__always)
func energyWidth(_ secondMoment: Double, centre: Double) -> Double {
    let variance = secondMoment - centre * centre
    return (variance < 0 ? 0 : variance).squareRoot()
}
