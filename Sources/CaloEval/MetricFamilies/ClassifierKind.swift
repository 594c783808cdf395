import CaloData
import Torch

/// One classifier test of ``ClassifierFamily``: the metric it reports, the per-event inputs it
/// trains on and its network settings. A new classifier metric is one more value in ``all``.
struct ClassifierKind: Sendable {
    /// The metric reported (`cls-low`, `cls-high`, …).
    let metric: Metric
    /// The network and training settings for a geometry; the family sets the epoch count from
    /// ``ClassifierSettings``. Throws ``EvaluationError/classifierUndefined(metric:geometry:)`` where
    /// the official code does not define the test.
    var configuration: @Sendable (_ geometry: Geometry, _ settings: ClassifierSettings) throws -> ClassifierConfiguration = {
        _, _ in .official
    }
    /// The `[events, features]` float64 inputs of the first `events` events of a file (spec/calochallenge.md §5.1).
    let inputs: @Sendable (_ file: FileStatistics, _ events: Int, _ context: EvaluationContext) throws -> Tensor

    /// The classifier tests, in the order they run.
    static let all: [ClassifierKind] = [.lowLevel, .highLevel, .lowLevelNormed, .resNet]

    /// `cls-low`: voxels over E_inc and log10 E_inc, read again from the file (``ClassifierInputs/lowLevel(showers:incidentEnergies:threshold:)``).
    static let lowLevel = ClassifierKind(metric: .clsLow, inputs: lowLevelInputs)

    /// `cls-high`: the high-level feature matrix gathered in the main pass (``ClassifierInputs/highLevel(_:)``).
    static let highLevel = ClassifierKind(metric: .clsHigh) { file, events, _ in
        try ClassifierInputs.highLevel(file.features).narrowed(dim: 0, start: 0, length: events)
    }

    /// `cls-low-normed`: voxels over their layer energy, with the layer energies of the main pass
    /// (``ClassifierInputs/lowLevelNormed(showers:incidentEnergies:layerEnergies:geometry:)``).
    static let lowLevelNormed = ClassifierKind(metric: .clsLowNormed) { file, events, context in
        let layers = file.features.layers
        let width = 1 + context.geometry.voxelCount + layers.count
        return try loadTransformed(file.input.path, geometry: context.geometry, limit: events, width: width, device: .cpu) {
            showers, energies, rows in
            var layerEnergies = [Double](repeating: 0, count: rows.count * layers.count)
            for (position, layer) in layers.enumerated() {
                for (row, event) in rows.enumerated() { layerEnergies[row * layers.count + position] = layer.energy[event] }
            }
            return try ClassifierInputs.lowLevelNormed(
                showers: showers, incidentEnergies: energies,
                layerEnergies: Tensor(layerEnergies, shape: [rows.count, layers.count]), geometry: context.geometry)
        }
    }

    /// `cls-resnet`: the ResNet of ``ResNetClassifierArchitecture`` on the cls-low inputs, for
    /// geometries with a regular (layers, angular, radial) voxel grid (ds2, ds3).
    static let resNet = ClassifierKind(
        metric: .clsResNet,
        configuration: { geometry, settings in
            guard let shape = geometry.regularShape else {
                throw EvaluationError.classifierUndefined(metric: Metric.clsResNet.rawValue, geometry: geometry.name)
            }
            return ClassifierConfiguration(
                architecture: ResNetClassifierArchitecture(
                    depth: settings.resNetDepth, imageShape: [shape.layers, shape.angular, shape.radial]))
        }, inputs: lowLevelInputs)

    /// The cls-low rows of a file, read again from it.
    private static let lowLevelInputs: @Sendable (FileStatistics, Int, EvaluationContext) throws -> Tensor = {
        file, events, context in
        try loadTransformed(
            file.input.path, geometry: context.geometry, limit: events, width: context.geometry.voxelCount + 1, device: .cpu
        ) { showers, energies, _ in
            try ClassifierInputs.lowLevel(showers: showers, incidentEnergies: energies, threshold: context.threshold)
        }
    }
}
