import CaloData
import Foundation
import Torch

/// The per-event input vectors of the CaloChallenge classifier test (spec/calochallenge.md §5.1),
/// without the label column (labels travel separately in ``LabelledSamples``). Energies in MeV,
/// log = log10, everything float64.
public enum ClassifierInputs {
    /// cls-low: `[log10(E_inc), voxel₁/E_inc, …, voxel_N/E_inc]` per event, voxels cut with the
    /// readout threshold first (evaluate.py `prepare_low_data_for_classifier`, `normed=False`).
    /// No further standardisation.
    ///
    /// The threshold compares in the showers' own dtype (float32 showers against the threshold
    /// rounded to float32, as NumPy compares a float32 array with a Python float).
    ///
    /// - Parameters:
    ///   - showers: `[events, voxels]` in MeV.
    ///   - incidentEnergies: `[events]` or `[events, 1]` in MeV.
    ///   - threshold: the readout threshold (``ReadoutThreshold/official(for:)`` for the datasets).
    /// - Returns: `[events, voxels + 1]` float64 on the showers' device.
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` when the event counts differ.
    public static func lowLevel(showers: Tensor, incidentEnergies: Tensor, threshold: ReadoutThreshold) throws -> Tensor {
        let energies = try incidentEnergies.reshaped([-1, 1]).to(dtype: .float64, device: showers.device)
        guard showers.ndim == 2, energies.dim(0) == showers.dim(0) else {
            throw EvaluationError.invalidArgument(
                "cls-low inputs: showers \(showers.shape) must be [events, voxels] with one incident energy per event, got energies \(incidentEnergies.shape)"
            )
        }
        let cut = try `where`(showers .< threshold.energy, showers.zerosLike(), showers).to(dtype: .float64)
        return try Tensor.cat([energies.log10(), cut / energies], dim: 1)
    }

    /// cls-low-normed: `[log10(E_inc), voxel_a/(E_layer(a) + 1e-16) for every voxel,
    /// log10(E_layer + 1e-8) for every relevant layer]` per event (evaluate.py
    /// `prepare_low_data_for_classifier`, `normed=True`; spec/calochallenge.md §5.1). As in the
    /// reference, the voxels are only clipped at 0 (no readout threshold), while the layer energies
    /// come from the features of the thresholded showers; the quotients and logarithms are taken in
    /// float32, as NumPy does on the float32 arrays, then widened to float64.
    ///
    /// - Parameters:
    ///   - showers: `[events, voxels]` in MeV, float32.
    ///   - incidentEnergies: `[events]` or `[events, 1]` in MeV.
    ///   - layerEnergies: `[events, relevant layers]` E_layer of the thresholded showers, layers by increasing id.
    ///   - geometry: gives each relevant layer's voxel count.
    /// - Returns: `[events, 1 + voxels + relevant layers]` float64 on the showers' device.
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` when the shapes disagree.
    public static func lowLevelNormed(
        showers: Tensor, incidentEnergies: Tensor, layerEnergies: Tensor, geometry: Geometry
    ) throws -> Tensor {
        let layers = geometry.relevantLayers
        let energies = try incidentEnergies.reshaped([-1, 1]).to(dtype: .float64, device: showers.device)
        guard showers.ndim == 2, showers.dim(1) == geometry.voxelCount, energies.dim(0) == showers.dim(0),
            layerEnergies.shape == [showers.dim(0), layers.count]
        else {
            throw EvaluationError.invalidArgument(
                "cls-low-normed inputs: showers \(showers.shape) must be [events, \(geometry.voxelCount)] with one incident energy (\(incidentEnergies.shape)) and \(layers.count) layer energies (\(layerEnergies.shape)) per event"
            )
        }
        let layerEnergy = try layerEnergies.to(dtype: .float32, device: showers.device)
        let layerOfVoxel = layers.enumerated().flatMap { position, layer in
            [Int64](repeating: Int64(position), count: layer.voxelCount)
        }
        let index = try Tensor(layerOfVoxel, shape: [layerOfVoxel.count]).to(showers.device)
        let perVoxel = try layerEnergy.indexSelect(dim: 1, index: index)
        let clipped = try showers.to(dtype: .float32).clamped(min: 0)
        let normed = try clipped / (perVoxel + 1e-16)
        return try Tensor.cat(
            [energies.log10(), normed.to(dtype: .float64), (layerEnergy + 1e-8).log10().to(dtype: .float64)], dim: 1)
    }

    /// cls-high, which is also the FPD/KPD feature matrix (spec §5.1, §6.1): per event, in this
    /// order, log10(E_inc); log10(E_layer + 1e-8) for every relevant layer; EC_eta/100, then
    /// EC_phi/100, Width_eta/100, Width_phi/100 for every angularly binned layer;
    /// log10(E_tot + 1e-8); Sparsity for every relevant layer; EC_r/100 and then Width_r/100 for
    /// every relevant layer (layers by increasing id; mm features divided by 100). 30 columns for
    /// ds1 photons, 46 for pions, 362 for ds2/ds3 (evaluate.py `prepare_high_data_for_classifier`).
    ///
    /// - Parameter features: features of thresholded showers (``HighLevelFeatures``), E_inc included.
    /// - Returns: `[events, columns]` float64 on the CPU.
    public static func highLevel(_ features: HighLevelFeatures) throws -> Tensor {
        let binned = features.layers.filter(\.isAngularlyBinned)
        var columns: [[Double]] = [features.incidentEnergy.map { Foundation.log10($0) }]
        columns += features.layers.map { $0.energy.map { Foundation.log10($0 + 1e-8) } }
        columns += binned.map { ($0.etaCentre ?? []).map { $0 / 1e2 } }
        columns += binned.map { ($0.phiCentre ?? []).map { $0 / 1e2 } }
        columns += binned.map { ($0.etaWidth ?? []).map { $0 / 1e2 } }
        columns += binned.map { ($0.phiWidth ?? []).map { $0 / 1e2 } }
        columns.append(features.totalEnergy.map { Foundation.log10($0 + 1e-8) })
        columns += features.layers.map(\.sparsity)
        columns += features.layers.map { $0.rCentre.map { $0 / 1e2 } }
        columns += features.layers.map { $0.rWidth.map { $0 / 1e2 } }
        let events = features.eventCount
        guard columns.allSatisfy({ $0.count == events }) else {
            throw EvaluationError.invalidArgument(
                "cls-high inputs: the features hold \(events) events but some feature arrays differ in length (E_inc: \(features.incidentEnergy.count)); set the incident energies of every event"
            )
        }
        var matrix = [Double](repeating: 0, count: events * columns.count)
        for (c, column) in columns.enumerated() {
            for (event, value) in column.enumerated() { matrix[event * columns.count + c] = value }
        }
        return try Tensor(matrix, shape: [events, columns.count])
    }
}
