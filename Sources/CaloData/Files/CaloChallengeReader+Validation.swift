/// What a complete scan of a CaloChallenge file found (``CaloChallengeReader/validateValues(allowingNegativeVoxels:shouldStop:progress:)``).
public struct CaloChallengeValidation: Sendable, Equatable {
    /// Events scanned (all of them).
    public var events: Int
    /// Negative voxel values seen (only non-zero when they were allowed).
    public var negativeVoxels: Int
}

extension CaloChallengeReader {
    /// Voxel values read per batch of a scan (about 16 MB of float32), so a 100 000 × 40 500 file
    /// streams in small pieces.
    static let validationVoxelBudget = 1 << 22

    /// Checks every value of the file before any work: at least one event, finite positive incident
    /// energies, finite voxels, and non-negative voxels unless `allowingNegativeVoxels` (the
    /// evaluation zeroes them with the readout threshold, as evaluate.py does, and only counts them).
    /// Reads the file in batches of about 16 MB; `shouldStop` is asked between batches and
    /// `progress` receives the number of events checked so far.
    ///
    /// - Throws: ``CaloDataError/emptyFile(path:)`` for a file without events,
    ///   ``CaloDataError/invalidValues(path:dataset:row:value:problem:)`` for the first bad value
    ///   (naming its dataset and row), ``CaloDataError/interrupted(path:)`` when `shouldStop` returns true.
    @discardableResult
    public func validateValues(
        allowingNegativeVoxels: Bool = false, shouldStop: () -> Bool = { false }, progress: (Int) -> Void = { _ in }
    ) throws -> CaloChallengeValidation {
        try validateIncidentEnergies(shouldStop: shouldStop)
        let voxels = geometry.voxelCount
        let batchSize = Swift.max(1, Self.validationVoxelBudget / voxels)
        var negative = 0
        var start = 0
        while start < eventCount {
            if shouldStop() { throw CaloDataError.interrupted(path: path) }
            let range = start..<Swift.min(start + batchSize, eventCount)
            let batch = try showers(range)
            for (index, value) in batch.enumerated() where !(value >= 0 && value.isFinite) {
                if value.isFinite && allowingNegativeVoxels {
                    negative += 1
                    continue
                }
                throw CaloDataError.invalidValues(
                    path: path, dataset: Self.showersKey, row: range.lowerBound + index / voxels, value: Double(value),
                    problem: value.isFinite ? "negative voxel energy" : "not a finite number")
            }
            start = range.upperBound
            progress(start)
        }
        return CaloChallengeValidation(events: eventCount, negativeVoxels: negative)
    }

    /// Checks that the file has events and that every incident energy is finite and positive (for
    /// commands that read nothing else, such as `caloforge sample --energies-from`).
    ///
    /// - Throws: as ``validateValues(allowingNegativeVoxels:shouldStop:progress:)``.
    public func validateIncidentEnergies(shouldStop: () -> Bool = { false }) throws {
        guard eventCount > 0 else { throw CaloDataError.emptyFile(path: path) }
        let batchSize = Self.validationVoxelBudget
        var start = 0
        while start < eventCount {
            if shouldStop() { throw CaloDataError.interrupted(path: path) }
            let range = start..<Swift.min(start + batchSize, eventCount)
            for (offset, energy) in try incidentEnergies(range).enumerated() where !(energy.isFinite && energy > 0) {
                throw CaloDataError.invalidValues(
                    path: path, dataset: Self.energiesKey, row: range.lowerBound + offset, value: energy,
                    problem: energy.isFinite ? "incident energies must be positive" : "not a finite number")
            }
            start = range.upperBound
        }
    }
}
