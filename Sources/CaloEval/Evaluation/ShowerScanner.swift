import CaloData

/// Reads one CaloChallenge file batch by batch and gathers its ``FileStatistics``: checks the values
/// (spec/calochallenge.md §8.13), applies the readout threshold as evaluate.py does (§4.4), computes
/// the high-level features with CaloData and fills the voxel-level statistics that were asked for.
/// Only one batch of showers is in memory at a time.
struct ShowerScanner {
    let reader: CaloChallengeReader
    let threshold: ReadoutThreshold
    let batchSize: Int
    /// Its `shouldStopReading` is asked between batches, so a Ctrl-C stops the reading too, not only the metrics after it.
    var resumption: EvaluationResumption? = nil

    /// One pass over the file. `voxelEdges` non-nil fills the voxel-energy histogram on them;
    /// `cellCapacity` is the size of the voxel-energy reservoir (seeded with `seed`);
    /// `responseEdges` are the incident-energy bins of the shower statistics' response.
    /// `progress` receives the number of events done after each batch.
    ///
    /// - Throws: `CaloDataError.invalidValues` for a NaN or infinite voxel, or an incident energy that
    ///   is not finite and positive; the reader's errors for unreadable files.
    func scan(
        input: EvaluationInput, needs: ScanNeeds, voxelEdges: [Double]?, cellCapacity: Int, seed: UInt64,
        responseEdges: [Double]? = nil, progress: (Int) -> Void
    ) throws -> FileStatistics {
        let geometry = reader.geometry
        var features = HighLevelFeatures(geometry: geometry)
        var maximum = 0.0
        var negative = 0
        var histogram = try voxelEdges.map { try Histogram(edges: $0) }
        var profile = needs.contains(.radialProfile) ? RadialProfile(geometry: geometry) : nil
        var cells = needs.contains(.cellEnergies) ? ReservoirSample(capacity: cellCapacity, seed: seed) : nil
        var statistics =
            needs.contains(.showerStatistics)
            ? try ShowerStatistics(geometry: geometry, incidentEnergyEdges: responseEdges) : nil
        let lowest = voxelEdges?.first ?? .infinity
        try forEachBatch(progress: progress) { rows, energies, showers in
            try check(energies: energies, showers: showers, rows: rows, negatives: &negative)
            var batch = showers
            threshold.apply(to: &batch)
            let batchFeatures = try HighLevelFeatures(showers: batch, incidentEnergies: energies, geometry: geometry)
            try features.append(batchFeatures)
            try statistics?.append(showers: batch, features: batchFeatures)
            try profile?.append(showers: batch)
            for value in batch where value > 0 {
                let energy = Double(value)
                if energy > maximum { maximum = energy }
                if energy >= lowest { histogram?.add(energy) }
                cells?.offer(energy)
            }
        }
        var input = input
        input.negativeVoxels = negative
        return FileStatistics(
            input: input, features: features, maximumVoxelEnergy: maximum,
            voxelEnergies: histogram, radialProfile: profile, cellEnergies: cells, showerStatistics: statistics)
    }

    /// A second pass that only fills the voxel-energy histogram on `edges` (for the reference, whose
    /// edges depend on its own maximum).
    func voxelEnergyHistogram(edges: [Double], progress: (Int) -> Void) throws -> Histogram {
        var histogram = try Histogram(edges: edges)
        let lowest = edges[0]
        try forEachBatch(progress: progress) { _, _, showers in
            var batch = showers
            threshold.apply(to: &batch)
            for value in batch where value > 0 && Double(value) >= lowest { histogram.add(Double(value)) }
        }
        return histogram
    }

    private func forEachBatch(progress: (Int) -> Void, _ body: (Range<Int>, [Double], [Float]) throws -> Void) throws {
        var start = 0
        while start < reader.eventCount {
            if let resumption, resumption.shouldStopReading?() == true {
                throw EvaluationError.interrupted(resumeFrom: resumption.directory.path)
            }
            let rows = start..<Swift.min(start + batchSize, reader.eventCount)
            try body(rows, try reader.incidentEnergies(rows), try reader.showers(rows))
            start = rows.upperBound
            progress(start)
        }
    }

    /// NaN and infinities are errors (evaluate.py would silently carry them into the features and drop
    /// them from histograms); negative voxels are counted, and zeroed by the threshold afterwards.
    private func check(energies: [Double], showers: [Float], rows: Range<Int>, negatives: inout Int) throws {
        for (offset, energy) in energies.enumerated() where !(energy.isFinite && energy > 0) {
            throw CaloDataError.invalidValues(
                path: reader.path, dataset: CaloChallengeReader.energiesKey, row: rows.lowerBound + offset, value: energy,
                problem: energy.isFinite ? "incident energies must be positive" : "not a finite number")
        }
        let voxels = reader.geometry.voxelCount
        for (index, value) in showers.enumerated() {
            if !value.isFinite {
                throw CaloDataError.invalidValues(
                    path: reader.path, dataset: CaloChallengeReader.showersKey, row: rows.lowerBound + index / voxels,
                    value: Double(value),
                    problem: "not a finite number; the official evaluate.py would carry it silently into the features")
            } else if value < 0 {
                negatives += 1
            }
        }
    }
}
