import Torch

/// `prdc`: precision, recall, density and coverage (k = 5) on the log-transformed voxel vectors
/// (spec/calochallenge.md §7.1), with blocked nearest-neighbour searches on the configured device.
///
/// With a resumption folder, each of the three passes over N² distances (reference radii, generated
/// radii, cross distances) is saved when done (``SavedWork``), so an interrupted run loses at most one.
public struct PRDCFamily: MetricFamily {
    public init() {}
    public var metrics: [Metric] { [.prdc] }
    public var needs: ScanNeeds { [] }

    /// The four scores, in report order.
    private static let names = ["precision", "recall", "density", "coverage"]

    public func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
        let device = context.configuration.device
        let saved = SavedWork(context, family: "prdc")
        // The reference's points and radii, computed for the first file that needs them.
        var reference: (points: Tensor, radii: Tensor)?
        func referencePointsAndRadii() throws -> (points: Tensor, radii: Tensor) {
            if let reference { return reference }
            let points = try self.points(context.reference.input.path, context)
            let computed = (points: points, radii: try radii(of: points, name: "reference", saved: saved, context: context))
            reference = computed
            return computed
        }
        var observables: [String: ObservableReport] = [:]
        for name in Self.names { observables[name] = ObservableReport(label: name) }
        for file in context.candidates {
            let scores = try saved.value("\(file.input.label).json") {
                func report(_ done: Int) {
                    context.progress(EvaluationProgress(
                        stage: "prdc", file: "\(file.input.label) (reference radii, generated radii, cross distances)",
                        completedEvents: done, totalEvents: 3, unit: "passes"))
                }
                report(0)
                let real = try referencePointsAndRadii()
                report(1)
                let fake = try points(file.input.path, context)
                let fakeRadii = try radii(of: fake, name: file.input.label, saved: saved, context: context)
                report(2)
                return try prdc(
                    real: real.points, realRadii: real.radii, fake: fake, fakeRadii: fakeRadii,
                    configuration: .caloChallenge
                ) { done, total in
                    context.progress(EvaluationProgress(
                        stage: "prdc", file: "\(file.input.label) cross distances", completedEvents: done, totalEvents: total,
                        unit: "rows"))
                }
            }
            let values = [scores.precision, scores.recall, scores.density, scores.coverage]
            for (name, value) in zip(Self.names, values) {
                if file.input.role == .reference2 { observables[name]?.floor = Score(value) } else {
                    observables[name]?.scores[file.input.label] = Score(value)
                }
            }
        }
        return [.prdc: MetricReport(
            status: .ok, explanation: Metric.prdc.explanation,
            parameters: ["k": "5", "inputs": "log voxel energies after the readout threshold (spec §7.1)", "device": device.description],
            order: Self.names, observables: observables)]
    }

    /// The log-transformed, thresholded voxel vectors of a file, `[events, voxels]` float64 on the device.
    private func points(_ path: String, _ context: EvaluationContext) throws -> Tensor {
        try loadTransformed(
            path, geometry: context.geometry, width: context.geometry.voxelCount, device: context.configuration.device
        ) { showers, _, _ in
            try prdcLogTransformed(showers.maskedFill(try showers .< context.threshold.energy, 0))
        }
    }

    /// The k-th nearest-neighbour radii of `points` (`[events]`), read back or computed and saved as
    /// `<name>-radii.safetensors`; after computing them the evaluation stops if asked.
    private func radii(of points: Tensor, name: String, saved: SavedWork, context: EvaluationContext) throws -> Tensor {
        let configuration = PRDCConfiguration.caloChallenge
        return try saved.tensor("\(name)-radii.safetensors", key: "radii", shape: [points.dim(0)], isCheckpoint: true) {
            try nearestNeighbourRadii(
                points, nearestK: configuration.nearestK, maxBlockElements: configuration.maxBlockElements,
                dtype: configuration.dtype
            ) { done, total in
                context.progress(EvaluationProgress(
                    stage: "prdc", file: "\(name) radii", completedEvents: done, totalEvents: total, unit: "distances"))
            }
        }.to(context.configuration.device)
    }
}
