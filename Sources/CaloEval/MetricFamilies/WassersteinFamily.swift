/// `w1`: W1 scores of standardised observables as CaloClouds II reports them (``W1Observables``,
/// ``W1Comparison``).
public struct WassersteinFamily: MetricFamily {
    public init() {}
    public var metrics: [Metric] { [.w1] }
    public var needs: ScanNeeds { [.radialProfile, .cellEnergies] }

    public func evaluate(_ context: EvaluationContext) throws -> [Metric: MetricReport] {
        let geometry = context.geometry
        func observables(_ file: FileStatistics, grouping: W1Grouping) throws -> W1Observables {
            guard let profile = file.radialProfile, let cells = file.cellEnergies else {
                throw EvaluationError.invalidArgument("W1 scores need the radial profile and cell energies of \(file.input.path)")
            }
            return W1Observables(
                features: file.features, profile: profile, cellEnergies: cells.values, geometry: geometry, grouping: grouping)
        }
        guard let referenceProfile = context.reference.radialProfile else {
            throw EvaluationError.invalidArgument("W1 scores need the reference's radial profile")
        }
        let grouping = W1Grouping(
            referenceFeatures: context.reference.features, referenceProfile: referenceProfile, geometry: geometry)
        let reference = try observables(context.reference, grouping: grouping)
        let settings = context.configuration.w1
        var reports: [String: ObservableReport] = [:]
        var order: [String] = []
        func record(_ score: W1Score, label: String, role: EvaluationInput.Role, into report: inout ObservableReport) {
            let value = Score(score.mean, uncertainty: score.standardDeviation)
            if role == .reference2 { report.floor = value } else { report.scores[label] = value }
            for component in score.components ?? [] {
                var part =
                    report.components?[component.key]
                    ?? ObservableReport(label: W1Observables.label(of: component.key, grouping: grouping))
                record(component, label: label, role: role, into: &part)
                report.components?[component.key] = part
            }
        }
        for file in context.candidates {
            let scores = W1Comparison.scores(
                reference: reference, generated: try observables(file, grouping: grouping),
                settings: settings, seed: context.configuration.seed)
            for score in scores {
                if reports[score.key] == nil {
                    order.append(score.key)
                    let parts = score.components?.map(\.key)
                    reports[score.key] = ObservableReport(
                        label: W1Observables.label(of: score.key, grouping: grouping),
                        components: parts.map { _ in [:] }, componentOrder: parts)
                }
                record(score, label: file.input.label, role: file.input.role, into: &reports[score.key]!)
            }
        }
        let referenceEvents = context.reference.features.eventCount
        let groups = grouping.layerGroups.map { "\($0.first ?? 0)–\($0.last ?? 0)" }.joined(separator: ", ")
        let rings = grouping.ringRanges.map { "\(grouping.radii[$0.lowerBound])–\(grouping.radii[$0.upperBound - 1])" }.joined(
            separator: ", ")
        let parameters = [
            "seed": "\(context.configuration.seed)",
            "subsample_size": "\(settings.subsampleSize) (capped by the smaller file; reference has \(referenceEvents) events)",
            "repetitions": "\(settings.repetitions)",
            "standardisation":
                "each observable divided by the reference's population standard deviation after subtracting its mean (CaloClouds II)",
            "uncertainty":
                "population standard deviation over repetitions; E_long and E_radial: mean of the component means ± sqrt(sum of component variances)",
            "cell_energies":
                "a seeded uniform sample of up to \(settings.subsampleSize * settings.repetitions) voxel energies per file",
            "layer_groups": groups,
            "rings_mm": rings,
            "scale": "raw W1 of the standardised observables (the CaloClouds II table quotes them multiplied by a power of ten)",
        ]
        return [
            .w1: MetricReport(
                status: .ok, explanation: Metric.w1.explanation, parameters: parameters, order: order, observables: reports)
        ]
    }
}
