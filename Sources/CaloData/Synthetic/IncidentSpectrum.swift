import Foundation

/// The incident-energy distribution of a synthetic run (spec/calochallenge.md §1.4), written on the
/// command line as `log-uniform:1GeV:1TeV`, `fixed:10GeV`, `ds1` or `ds1-pions`. Energies are MeV
/// and are rounded to float32, the precision of the files, before showers are simulated.
public enum IncidentSpectrum: Sendable, Equatable, CustomStringConvertible {
    /// log E uniform between the bounds (MeV), as datasets 2 and 3 (1 GeV … 1 TeV).
    case logUniform(minimum: Double, maximum: Double)
    /// Every event at one energy (MeV).
    case fixed(Double)
    /// The 15 dataset-1 energies 2⁸ … 2²² MeV in the official relative counts of the photon files.
    case ds1Photons
    /// The same energies in the relative counts of the pion files (9 800 instead of 10 000 at 2¹⁸ MeV).
    case ds1Pions

    /// Energies this generator accepts (MeV): the parametrisation is fitted for GeV-scale showers
    /// and is used here from 100 MeV to 10 TeV.
    public static let validRange = 100.0...10_000_000.0

    /// The dataset-1 energies 2⁸ … 2²² MeV.
    public static let ds1Energies: [Double] = (8...22).map { Double(1 << $0) }
    /// Events per energy in each dataset-1 photon file (121 000 in total).
    public static let ds1PhotonCounts = Array(repeating: 10_000, count: 11) + [5_000, 3_000, 2_000, 1_000]
    /// Events per energy in each dataset-1 pion file (120 800 in total).
    public static let ds1PionCounts = Array(repeating: 10_000, count: 10) + [9_800, 5_000, 3_000, 2_000, 1_000]

    static let syntax =
        "log-uniform:MIN:MAX, fixed:E, ds1 or ds1-pions, with energies such as 500MeV, 10GeV or 1TeV (a bare number is MeV)"

    /// Parses `log-uniform:MIN:MAX`, `fixed:E`, `ds1` or `ds1-pions`; energies take the units
    /// MeV, GeV or TeV (a bare number is MeV).
    public init(parsing text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false).map(
            String.init)
        func fail(_ reason: String) -> CaloDataError { .invalidSpectrum(text, reason: reason) }
        switch parts[0].lowercased() {
        case "log-uniform", "loguniform":
            guard parts.count == 3 else { throw fail("log-uniform needs two energies, as in log-uniform:1GeV:1TeV") }
            let minimum = try Self.parseEnergy(parts[1], in: text)
            let maximum = try Self.parseEnergy(parts[2], in: text)
            guard minimum < maximum else { throw fail("the lower bound must be below the upper bound") }
            self = .logUniform(minimum: minimum, maximum: maximum)
        case "fixed":
            guard parts.count == 2 else { throw fail("fixed needs one energy, as in fixed:10GeV") }
            self = .fixed(try Self.parseEnergy(parts[1], in: text))
        case "ds1", "ds1-photons":
            guard parts.count == 1 else { throw fail("ds1 takes no arguments") }
            self = .ds1Photons
        case "ds1-pions":
            guard parts.count == 1 else { throw fail("ds1-pions takes no arguments") }
            self = .ds1Pions
        default:
            throw fail("write \(Self.syntax)")
        }
    }

    /// Parses `10GeV`, `1 TeV`, `500MeV`, `2.5e3` (MeV) into MeV.
    static func parseEnergy(_ token: String, in text: String) throws -> Double {
        let trimmed = token.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("tev", 1e6), ("gev", 1e3), ("mev", 1)]
        var number = trimmed
        var scale = 1.0
        for (unit, factor) in units where trimmed.lowercased().hasSuffix(unit) {
            number = String(trimmed.dropLast(unit.count)).trimmingCharacters(in: .whitespaces)
            scale = factor
            break
        }
        guard let value = Double(number), value.isFinite else {
            throw CaloDataError.invalidSpectrum(
                text, reason: "'\(token)' is not an energy; write a number with MeV, GeV or TeV, such as 10GeV")
        }
        let energy = value * scale
        guard validRange.contains(energy) else {
            throw CaloDataError.invalidSpectrum(text, reason: "\(token) is outside the supported range 100MeV … 10TeV")
        }
        return energy
    }

    /// The canonical spelling, which ``init(parsing:)`` reads back.
    public var description: String {
        switch self {
        case let .logUniform(minimum, maximum): return "log-uniform:\(Self.format(minimum)):\(Self.format(maximum))"
        case let .fixed(energy): return "fixed:\(Self.format(energy))"
        case .ds1Photons: return "ds1"
        case .ds1Pions: return "ds1-pions"
        }
    }

    private static func format(_ energy: Double) -> String {
        for (unit, factor) in [("TeV", 1e6), ("GeV", 1e3)] where energy >= factor {
            let value = energy / factor
            if value == value.rounded() { return "\(Int(value))\(unit)" }
            return "\(value)\(unit)"
        }
        return energy == energy.rounded() ? "\(Int(energy))MeV" : "\(energy)MeV"
    }

    /// `count` incident energies (MeV, float32-representable) drawn with `seed`. For the dataset-1
    /// spectra the counts per energy are the official proportions (largest-remainder rounding, so
    /// 121 000 events reproduce the photon files exactly), in a seeded random order.
    /// ``IncidentEnergyStream`` hands out the same values a batch at a time.
    public func energies(count: Int, seed: UInt64) -> [Double] {
        var stream = IncidentEnergyStream(spectrum: self, count: count, seed: seed)
        return stream.next(count)
    }

    /// All `count` energies of a dataset-1 spectrum, shuffled with `generator` (the order must be
    /// known as a whole, so these spectra cannot stream).
    func shuffledDataset1Energies(count: Int, generator: inout Xoshiro256StarStar) -> [Double] {
        let weights = self == .ds1Photons ? Self.ds1PhotonCounts : Self.ds1PionCounts
        var energies: [Double] = []
        energies.reserveCapacity(count)
        for (energy, n) in zip(Self.ds1Energies, Self.allocate(count, proportionalTo: weights)) {
            energies += Array(repeating: energy, count: n)
        }
        // Fisher–Yates with our own bounded integers, so the order is the same everywhere.
        var i = energies.count - 1
        while i > 0 {
            energies.swapAt(i, generator.uniformInt(below: i + 1))
            i -= 1
        }
        return energies
    }

    /// Splits `total` into integers proportional to `weights` (largest remainder; ties go to the
    /// earlier entry).
    static func allocate(_ total: Int, proportionalTo weights: [Int]) -> [Int] {
        let sum = weights.reduce(0, +)
        var shares = weights.map { total * $0 / sum }
        let remainders = weights.enumerated().map { (index: $0.offset, remainder: (total * $0.element) % sum) }
        let missing = total - shares.reduce(0, +)
        for entry in remainders.sorted(by: { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index })
            .prefix(missing)
        {
            shares[entry.index] += 1
        }
        return shares
    }
}
