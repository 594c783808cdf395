import Foundation

/// The energies of ``IncidentSpectrum/energies(count:seed:)`` handed out a batch at a time, so that
/// a run of any length holds one batch: the same values in the same order whatever the batch
/// sizes. The dataset-1 spectra are shuffled as a whole and so keep all `count` energies
/// (``heldBytes(spectrum:count:)``).
public struct IncidentEnergyStream {
    public let spectrum: IncidentSpectrum
    /// Energies in the whole run.
    public let count: Int
    /// Energies handed out so far.
    public private(set) var position = 0
    private var generator: Xoshiro256StarStar
    private var shuffled: [Double] = []

    public init(spectrum: IncidentSpectrum, count: Int, seed: UInt64) {
        self.spectrum = spectrum
        self.count = Swift.max(count, 0)
        generator = Xoshiro256StarStar(seed: seed, stream: UInt64.max)
        if spectrum == .ds1Photons || spectrum == .ds1Pions {
            shuffled = spectrum.shuffledDataset1Energies(count: self.count, generator: &generator)
        }
    }

    /// The next `n` energies (MeV, float32-representable), fewer at the end of the run.
    public mutating func next(_ n: Int) -> [Double] {
        let end = position + Swift.max(0, Swift.min(n, count - position))
        defer { position = end }
        func rounded(_ e: Double) -> Double { Double(Float(e)) }
        switch spectrum {
        case let .logUniform(minimum, maximum):
            let low = Foundation.log(minimum)
            let span = Foundation.log(maximum) - low
            return (position..<end).map { _ in rounded(Foundation.exp(low + span * generator.uniform())) }
        case let .fixed(energy):
            return Array(repeating: rounded(energy), count: end - position)
        case .ds1Photons, .ds1Pions:
            return Array(shuffled[position..<end])
        }
    }

    /// Bytes a stream of `count` energies keeps for the whole run: 8 per energy for the dataset-1
    /// spectra, none for the others.
    public static func heldBytes(spectrum: IncidentSpectrum, count: Int) -> Int {
        guard spectrum == .ds1Photons || spectrum == .ds1Pions else { return 0 }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: 8)
        return overflow ? .max : bytes
    }
}
