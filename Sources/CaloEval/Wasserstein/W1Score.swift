/// How the W1 scores subsample (CaloClouds II, §4.2: 10 repetitions on 50 000 Geant4 and 50 000
/// generated showers, and 50 000 cell hits).
public struct W1Settings: Sendable, Equatable, Codable {
    /// Events (and cell energies) drawn from each file per repetition; capped by the smaller file.
    public var subsampleSize: Int
    /// Number of repetitions; the score is their mean ± standard deviation.
    public var repetitions: Int

    public init(subsampleSize: Int = 50_000, repetitions: Int = 10) {
        self.subsampleSize = subsampleSize
        self.repetitions = repetitions
    }
}

/// One W1 score: the mean and the (population) standard deviation over repetitions, as CaloClouds II
/// reports "mean ± std" (`np.mean`, `np.std`). Composite observables (E_long, E_radial) also list
/// their components; their mean is the mean of the component means and their std is
/// sqrt(Σ std²), CaloClouds II's `combine_scores`.
public struct W1Score: Sendable, Equatable, Codable {
    public var key: String
    public var mean: Double
    public var standardDeviation: Double
    public var components: [W1Score]?

    public init(key: String, mean: Double, standardDeviation: Double, components: [W1Score]? = nil) {
        self.key = key
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.components = components
    }
}

/// W1 scores of standardised observables (CaloClouds II, §4.2).
public enum W1Comparison {
    /// Scores `generated` against `reference`.
    ///
    /// Each observable is standardised with the mean and population standard deviation of the whole
    /// reference (CaloClouds II's `standardize` with `np.mean`/`np.std` of the Geant4 set; a zero
    /// standard deviation is replaced by 1). Because W₁ of an affinely standardised sample is W₁ of the
    /// raw sample divided by the scale, the distance is computed on raw values and divided by σ.
    ///
    /// Each repetition draws `n = min(subsampleSize, reference events, generated events)` events from
    /// each file without replacement (the same events for every per-event observable within a
    /// repetition) and likewise `min(subsampleSize, …)` cell energies; draws come from a
    /// ``SeededGenerator`` seeded with `seed`, so the reference subsamples are the same for every
    /// generated file. Where a file is smaller than the subsample, every repetition sees all of it and
    /// the spread comes from the other file only (zero when both are smaller).
    ///
    /// Result: one ``W1Score`` per observable in report order, with `E_long_k` and `E_radial_k` folded
    /// into composite `E_long` and `E_radial` entries and `E_cell` after `E_ratio`.
    public static func scores(reference: W1Observables, generated: W1Observables, settings: W1Settings, seed: UInt64) -> [W1Score]
    {
        var generator = SeededGenerator(seed: seed)
        let referenceEvents = reference.perEvent.first?.values.count ?? 0
        let generatedEvents = generated.perEvent.first?.values.count ?? 0
        let eventSize = Swift.min(settings.subsampleSize, referenceEvents, generatedEvents)
        let cellSize = Swift.min(settings.subsampleSize, reference.cellEnergies.count, generated.cellEnergies.count)
        let keys = reference.perEvent.map(\.key) + ["E_cell"]
        let scales = reference.perEvent.map { scale($0.values) } + [scale(reference.cellEnergies)]
        var distances = Array(repeating: [Double](), count: keys.count)
        for _ in 0..<settings.repetitions {
            let referenceRows = generator.sample(eventSize, from: referenceEvents)
            let generatedRows = generator.sample(eventSize, from: generatedEvents)
            for (index, column) in reference.perEvent.enumerated() {
                guard let other = generated.perEvent.first(where: { $0.key == column.key }) else { continue }
                let w1 = wassersteinDistance(referenceRows.map { column.values[$0] }, generatedRows.map { other.values[$0] })
                distances[index].append(w1 / scales[index])
            }
            let referenceCells = generator.sample(cellSize, from: reference.cellEnergies.count).map { reference.cellEnergies[$0] }
            let generatedCells = generator.sample(cellSize, from: generated.cellEnergies.count).map { generated.cellEnergies[$0] }
            distances[keys.count - 1].append(wassersteinDistance(referenceCells, generatedCells) / scales[keys.count - 1])
        }
        let single = zip(keys, distances).map { key, values in
            W1Score(key: key, mean: mean(values), standardDeviation: populationStandardDeviation(values))
        }
        return fold(single)
    }

    /// Orders the scores for reports and folds `E_long_k`, `E_radial_k` into composites.
    static func fold(_ scores: [W1Score]) -> [W1Score] {
        func composite(_ prefix: String) -> W1Score? {
            let parts = scores.filter { $0.key.hasPrefix(prefix + "_") }
            guard !parts.isEmpty else { return nil }
            let spread = parts.reduce(0.0) { $0 + $1.standardDeviation * $1.standardDeviation }.squareRoot()
            return W1Score(key: prefix, mean: mean(parts.map(\.mean)), standardDeviation: spread, components: parts)
        }
        let byKey = Dictionary(scores.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [W1Score] = []
        for key in ["N_hits", "E_ratio", "E_cell"] { if let score = byKey[key] { result.append(score) } }
        if let long = composite("E_long") { result.append(long) }
        if let radial = composite("E_radial") { result.append(radial) }
        for key in ["m1_eta", "m1_phi", "m1_z"] { if let score = byKey[key] { result.append(score) } }
        return result
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// `np.std` (ddof = 0).
    static func populationStandardDeviation(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)).squareRoot()
    }

    /// The standardisation scale of a reference observable: its `np.std`, or 1 when that is 0 or
    /// undefined (a constant or empty observable), so that standardising never divides by zero.
    static func scale(_ values: [Double]) -> Double {
        let deviation = populationStandardDeviation(values)
        return deviation.isFinite && deviation > 0 ? deviation : 1
    }
}
