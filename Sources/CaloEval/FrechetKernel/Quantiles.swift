/// The q-th percentile (q in [0, 100]) of ascending values with NumPy's default "linear" method:
/// virtual index h = (n − 1)·q/100 and the interpolation a + (b − a)·t, written as
/// b − (b − a)·(1 − t) for t ≥ 0.5 as NumPy's `_lerp` does.
func numpyPercentile(sorted values: [Double], _ q: Double) -> Double {
    precondition(!values.isEmpty, "percentile of no values")
    let virtualIndex = q / 100 * Double(values.count - 1)
    let lower = Swift.min(Swift.max(Int(virtualIndex.rounded(.down)), 0), values.count - 1)
    let upper = Swift.min(lower + 1, values.count - 1)
    let t = virtualIndex - Double(lower)
    let a = values[lower], b = values[upper]
    let difference = b - a
    return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
}

/// The median of ascending values (NumPy: the mean of the two middle values for even counts).
func numpyMedian(sorted values: [Double]) -> Double {
    precondition(!values.isEmpty, "median of no values")
    let middle = values.count / 2
    return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
}
