extension CaloChallengeReader {
    /// Computes the official high-level features (spec/calochallenge.md §3) of every event in the
    /// file, reading `batchSize` events at a time and applying `threshold` to each batch first, as
    /// evaluate.py does to the whole file (§4.2). Only one batch of showers is in memory at once;
    /// the result holds about 8 doubles per relevant layer per event.
    ///
    /// Showers are read as Float (see ``showers(_:)``), so the threshold compares in Float as it
    /// does for the official float32 files.
    ///
    /// - Throws: ``CaloDataError/invalidArgument(_:)`` when `batchSize` is not positive, or the
    ///   reader's errors for a file that cannot be read.
    public func highLevelFeatures(threshold: ReadoutThreshold, batchSize: Int = 1024) throws -> HighLevelFeatures {
        guard batchSize > 0 else {
            throw CaloDataError.invalidArgument("high-level features of \(path): batch size \(batchSize) must be at least 1")
        }
        let layout = FeatureLayout(geometry: geometry)
        var features = HighLevelFeatures(layout: layout)
        features.reserveCapacity(eventCount)
        var start = 0
        while start < eventCount {
            let events = start..<Swift.min(start + batchSize, eventCount)
            var batch = try showers(events)
            threshold.apply(to: &batch)
            try features.append(showers: batch, incidentEnergies: try incidentEnergies(events), layout: layout)
            start = events.upperBound
        }
        return features
    }
}
