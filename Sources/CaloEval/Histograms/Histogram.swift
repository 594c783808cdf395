/// Counts of values in bins with numpy's `np.histogram` semantics (spec/calochallenge.md §4.5):
/// bin i holds edgesᵢ ≤ x < edgesᵢ₊₁, the last bin also holds x equal to the last edge, and values
/// outside [first edge, last edge] (NaN and ±∞ included) are not counted anywhere.
///
/// ``densities`` follow `density=True`: normalised over the in-range entries only.
public struct Histogram: Sendable, Equatable, Codable {
    /// Bin edges, strictly increasing; `edges.count − 1` bins.
    public let edges: [Double]
    /// Entries per bin.
    public private(set) var counts: [Int]

    /// An empty histogram on `edges`.
    ///
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` unless `edges` has at least two finite,
    ///   strictly increasing values.
    public init(edges: [Double]) throws {
        guard BinEdges.areValid(edges) else {
            throw EvaluationError.invalidArgument(
                "histogram edges must be at least 2 finite, strictly increasing values; got \(edges.prefix(4))\(edges.count > 4 ? "… (\(edges.count))" : "")"
            )
        }
        self.edges = edges
        counts = Array(repeating: 0, count: edges.count - 1)
    }

    /// A histogram of `values` on `edges`.
    public init<S: Sequence>(_ values: S, edges: [Double]) throws where S.Element == Double {
        try self.init(edges: edges)
        add(contentsOf: values)
    }

    /// Number of bins.
    public var binCount: Int { counts.count }

    /// Bin widths, `np.diff(edges)`.
    public var widths: [Double] { zip(edges.dropFirst(), edges).map { $0 - $1 } }

    /// Entries that fell inside the bin range.
    public var total: Int { counts.reduce(0, +) }

    /// The bin `value` falls in, or nil when it is outside the range or NaN.
    public func bin(of value: Double) -> Int? {
        guard value >= edges[0], value <= edges[edges.count - 1] else { return nil }
        // Largest i with edges[i] <= value; the last edge belongs to the last bin.
        var low = 0, high = edges.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if edges[middle] <= value { low = middle } else { high = middle }
        }
        return low
    }

    /// Counts one value (ignored when out of range or NaN).
    public mutating func add(_ value: Double) {
        if let index = bin(of: value) { counts[index] += 1 }
    }

    /// Counts every value.
    public mutating func add<S: Sequence>(contentsOf values: S) where S.Element == Double {
        for value in values { add(value) }
    }

    /// Adds the counts of `other`, which must have the same edges (a programmer error otherwise).
    public mutating func merge(_ other: Histogram) {
        precondition(other.edges == edges, "cannot merge histograms with different edges")
        for index in counts.indices { counts[index] += other.counts[index] }
    }

    /// Densities as `np.histogram(…, density=True)`: countᵢ / widthᵢ / total. NaN in every bin when no
    /// entry is in range (numpy's 0/0).
    public var densities: [Double] {
        let total = Double(self.total)
        return zip(counts, widths).map { Double($0) / $1 / total }
    }

    /// Per-bin probabilities densityᵢ · widthᵢ, as the official separation power forms them; they sum
    /// to 1 over the in-range entries (NaN when there are none).
    public var probabilities: [Double] {
        zip(densities, widths).map { $0 * $1 }
    }
}
