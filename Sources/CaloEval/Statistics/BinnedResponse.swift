import Foundation

/// The energy response E_dep / E_inc in bins of incident energy: per bin the count, mean and spread
/// of the ratio, accumulated event by event (the statistics behind the response figure).
/// E_dep is the thresholded E_tot of spec/calochallenge.md §3.
public struct BinnedResponse: Sendable, Equatable, Codable {
    /// Incident-energy bin edges in MeV, strictly increasing; bin i is [edgesᵢ, edgesᵢ₊₁), the last
    /// bin includes its right edge.
    public let incidentEnergyEdges: [Double]
    /// E_dep / E_inc per bin.
    public private(set) var bins: [RunningMoments]
    /// Events whose incident energy lies outside the edges (not in any bin).
    public private(set) var outsideCount = 0

    /// An empty response on `incidentEnergyEdges` (MeV).
    ///
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` unless the edges are at least two finite,
    ///   positive, strictly increasing values.
    public init(incidentEnergyEdges: [Double]) throws {
        guard BinEdges.areValid(incidentEnergyEdges), incidentEnergyEdges[0] > 0 else {
            throw EvaluationError.invalidArgument(
                "incident-energy bins need at least 2 positive, strictly increasing edges; got \(incidentEnergyEdges.prefix(4))")
        }
        self.incidentEnergyEdges = incidentEnergyEdges
        bins = Array(repeating: RunningMoments(), count: incidentEnergyEdges.count - 1)
    }

    /// Adds one event (both energies in MeV).
    public mutating func add(incidentEnergy: Double, depositedEnergy: Double) {
        guard let bin = Self.bin(of: incidentEnergy, edges: incidentEnergyEdges) else {
            outsideCount += 1
            return
        }
        bins[bin].add(depositedEnergy / incidentEnergy)
    }

    /// Mean E_dep / E_inc per bin; NaN for empty bins.
    public var means: [Double] { bins.map(\.mean) }

    /// Standard deviation of E_dep / E_inc per bin (the resolution); NaN for bins with fewer than two events.
    public var standardDeviations: [Double] { bins.map(\.standardDeviation) }

    /// Events per bin.
    public var counts: [Int] { bins.map(\.count) }

    /// The bin holding `value` (numpy semantics, as ``Histogram/bin(of:)``), or nil.
    static func bin(of value: Double, edges: [Double]) -> Int? {
        guard value >= edges[0], value <= edges[edges.count - 1] else { return nil }
        var low = 0, high = edges.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if edges[middle] <= value { low = middle } else { high = middle }
        }
        return low
    }

    /// Incident-energy bins for a reference's incident energies (MeV): when they take at most
    /// `maximumDiscreteValues` distinct values (dataset 1: the 15 energies 2⁸ … 2²² MeV), one bin per
    /// value, bounded by the geometric means of neighbours; otherwise log-spaced bins, `binsPerDecade`
    /// per decade with edges at 10^(k / binsPerDecade) MeV, covering the smallest to the largest value
    /// (datasets 2 and 3: 12 bins from 1 GeV to 1 TeV).
    /// Values equal to 1 part in 10⁶ count as one (float32 storage). Empty or non-positive input
    /// gives no edges.
    public static func incidentEnergyEdges(
        for energies: [Double], binsPerDecade: Int = 4, maximumDiscreteValues: Int = 32
    ) -> [Double] {
        let sorted = energies.filter { $0.isFinite && $0 > 0 }.sorted()
        guard let lowest = sorted.first, let highest = sorted.last else { return [] }
        var distinct: [Double] = []
        for value in sorted where distinct.last.map({ value > $0 * (1 + 1e-6) }) ?? true {
            distinct.append(value)
            if distinct.count > maximumDiscreteValues { break }
        }
        if distinct.count <= maximumDiscreteValues {
            guard distinct.count > 1 else { return [lowest / 2.0.squareRoot(), lowest * 2.0.squareRoot()] }
            let middles = zip(distinct, distinct.dropFirst()).map { ($0 * $1).squareRoot() }
            let first = distinct[0] * (distinct[0] / distinct[1]).squareRoot()
            let last = distinct[distinct.count - 1] * (distinct[distinct.count - 1] / distinct[distinct.count - 2]).squareRoot()
            return [first] + middles + [last]
        }
        // Edges on the grid 10^(k / binsPerDecade), so that 1 GeV … 1 TeV gives edges at round
        // energies; the outer edges are widened to the data if rounding puts them inside.
        let perDecade = Double(Swift.max(binsPerDecade, 1))
        let low = (log10(lowest) * perDecade).rounded(.down)
        let high = Swift.max((log10(highest) * perDecade).rounded(.up), low + 1)
        var edges = BinEdges.logarithmic(
            from: pow(10, low / perDecade), to: pow(10, high / perDecade), count: Int(high - low) + 1)
        edges[0] = Swift.min(edges[0], lowest)
        edges[edges.count - 1] = Swift.max(edges[edges.count - 1], highest)
        return edges
    }
}
