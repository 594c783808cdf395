extension SyntheticShowerGenerator {
    /// Simulates `count` showers and writes them as a CaloChallenge file through
    /// ``CaloChallengeWriter`` (batch by batch, atomically). Incident energies come from
    /// `spectrum` drawn with `seed` (``IncidentEnergyStream``: one batch in memory); event i uses
    /// stream i of `seed`, so the file does not depend on `batchSize`. `progress` is called after every batch with the number of events written.
    public func write(
        to path: String, count: Int, spectrum: IncidentSpectrum, seed: UInt64, batchSize: Int = 1000,
        progress: (Int) -> Void = { _ in }
    ) throws {
        guard count > 0, batchSize > 0 else {
            throw CaloDataError.invalidArgument("write \(path): count (\(count)) and batch size (\(batchSize)) must be positive")
        }
        var energies = IncidentEnergyStream(spectrum: spectrum, count: count, seed: seed)
        let writer = try CaloChallengeWriter(path: path, geometry: geometry)
        var start = 0
        while start < count {
            let end = Swift.min(start + batchSize, count)
            let batch = energies.next(end - start)
            let showers = simulate(incidentEnergies: batch, firstEvent: start, seed: seed)
            try writer.append(incidentEnergies: batch.map { Float($0) }, showers: showers)
            start = end
            progress(start)
        }
        try writer.finish()
    }
}
