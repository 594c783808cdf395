/// Pearson correlation matrices of layer energies (spec/calochallenge.md §7.2; review paper §8.2).
public enum PearsonCorrelation {
    /// The correlation matrix of `columns` (one array of per-event values per variable, all of the same
    /// length): r_ij = cov(i, j) / (σ_i σ_j), computed in float64 from centred values.
    ///
    /// As the CaloChallenge reference notebook does, entries that are NaN because a variable has zero
    /// variance are set to 0, and the diagonal is forced to 1. Fewer than two events give all zeros off
    /// the diagonal. Columns of different lengths are a programmer error.
    public static func matrix(_ columns: [[Double]]) -> [[Double]] {
        let count = columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == count }, "correlation columns must have the same length")
        let centred = columns.map { column -> [Double] in
            let mean = column.reduce(0, +) / Double(count)
            return column.map { $0 - mean }
        }
        let norms = centred.map { column in column.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        var result = Array(repeating: Array(repeating: 0.0, count: columns.count), count: columns.count)
        for i in columns.indices {
            result[i][i] = 1
            for j in columns.indices where j > i {
                var product = 0.0
                for k in 0..<count { product += centred[i][k] * centred[j][k] }
                var r = product / (norms[i] * norms[j])
                if r.isNaN { r = 0 }
                // Rounding can push |r| a hair past 1.
                r = Swift.min(Swift.max(r, -1), 1)
                result[i][j] = r
                result[j][i] = r
            }
        }
        return result
    }

    /// Element-wise `generated − reference` of two matrices of the same size.
    public static func difference(_ generated: [[Double]], _ reference: [[Double]]) -> [[Double]] {
        precondition(generated.count == reference.count, "correlation matrices of different sizes")
        return zip(generated, reference).map { rowG, rowR in zip(rowG, rowR).map { $0 - $1 } }
    }

    /// Summary of a difference matrix over its off-diagonal entries (each pair once): the largest and
    /// the mean absolute difference. These scalars are ours; the paper shows the matrices only.
    public static func summary(of difference: [[Double]]) -> (maximumAbsolute: Double, meanAbsolute: Double) {
        var maximum = 0.0, sum = 0.0, pairs = 0
        for i in difference.indices {
            for j in difference.indices where j > i {
                let value = Swift.abs(difference[i][j])
                maximum = Swift.max(maximum, value)
                sum += value
                pairs += 1
            }
        }
        return (maximum, pairs > 0 ? sum / Double(pairs) : 0)
    }
}
