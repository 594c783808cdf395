import Foundation

/// Histogram bin edges built the way the official evaluation builds them with numpy
/// (spec/calochallenge.md §4.5).
public enum BinEdges {
    /// `count` equally spaced edges from `start` to `stop` inclusive ("lin(a, b, n)" of spec §4.5),
    /// computed as `np.linspace` does: edge i = i·step + start with step = (stop − start)/(count − 1),
    /// and the last edge set to `stop` exactly. Identical IEEE operations give numpy's values bit for bit.
    ///
    /// `count` must be at least 2 (a programmer error otherwise).
    public static func linear(from start: Double, to stop: Double, count: Int) -> [Double] {
        precondition(count >= 2, "a histogram needs at least 2 edges, got \(count)")
        let step = (stop - start) / Double(count - 1)
        var edges = (0..<count).map { Double($0) * step + start }
        edges[count - 1] = stop
        return edges
    }

    /// `count` logarithmically spaced edges from `start` to `stop` inclusive ("log(a, b, n)" of
    /// spec §4.5): edge i = 10^(linspace(log10 start, log10 stop, count))ᵢ, as `np.logspace`.
    ///
    /// Deviation, on purpose: the first and last edges are set to `start` and `stop` exactly. numpy
    /// computes them as 10^log10(x), which its vectorised `power`/`log10` can round a unit in the last
    /// place away from x (for the voxel histogram evaluate.py even takes log10 of the float32 maximum in
    /// float32, several units away); when the last edge lands below the reference maximum, numpy drops
    /// that largest entry. Pinning the ends keeps "from a to b inclusive" exact; interior edges agree
    /// with numpy to a few units in the last place (docs/validation.md). Both bounds must be positive.
    public static func logarithmic(from start: Double, to stop: Double, count: Int) -> [Double] {
        var edges = linear(from: Foundation.log10(start), to: Foundation.log10(stop), count: count).map {
            Foundation.pow(10.0, $0)
        }
        edges[0] = start
        edges[count - 1] = stop
        return edges
    }

    /// Whether `edges` can bin values: at least two finite edges, strictly increasing.
    public static func areValid(_ edges: [Double]) -> Bool {
        edges.count >= 2 && edges.allSatisfy(\.isFinite) && zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }
    }
}
