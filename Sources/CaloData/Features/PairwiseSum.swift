/// The sum numpy forms for `np.sum(x, axis=-1)` over one contiguous row of a float32 or float64
/// array (its pairwise summation, numpy ≥ 2), so that values computed from sums agree with
/// evaluate.py bit for bit rather than up to summation-order rounding.
///
/// The terms `term(0)`, …, `term(count − 1)` are accumulated in `T` (Float terms in float32, as
/// numpy sums a float32 array):
/// - fewer than 8 terms are added in order to −0;
/// - 8 to 128 terms go round-robin into eight partial sums s₀…s₇ (term i into s_(i mod 8)) over the
///   largest multiple of 8 terms, which are combined as ((s₀ + s₁) + (s₂ + s₃)) + ((s₄ + s₅) + (s₆ + s₇));
///   the remaining `count % 8` terms are then added in order;
/// - longer runs are split after `h` terms, `h` = ⌊count / 2⌋ rounded down to a multiple of 8, and the
///   sums of the two parts, each formed by these rules, are added.
///
/// numpy 1.x sums rows longer than its 8192-element buffer in buffer-sized chunks added in order; the
/// two agree on every row of at most 8192 values (every CaloChallenge layer, and whole ds1/ds2 showers).
@inlinable
public func pairwiseSum<T: BinaryFloatingPoint>(count: Int, _ term: (Int) -> T) -> T {
    pairwiseSum(from: 0, count: count, term)
}

/// The pairwise sum of `values` (see ``pairwiseSum(count:_:)``).
@inlinable
public func pairwiseSum<T: BinaryFloatingPoint>(_ values: UnsafeBufferPointer<T>) -> T {
    pairwiseSum(from: 0, count: values.count) { values[$0] }
}

/// The pairwise sum of `term(start)`, …, `term(start + count − 1)`.
@usableFromInline
func pairwiseSum<T: BinaryFloatingPoint>(from start: Int, count: Int, _ term: (Int) -> T) -> T {
    let end = start + count
    if count < 8 {
        // From −0, so that a run of −0 sums to −0 as in numpy.
        var sum = -T.zero
        for i in start..<end { sum += term(i) }
        return sum
    }
    if count <= 128 {
        var s0 = term(start), s1 = term(start + 1), s2 = term(start + 2), s3 = term(start + 3)
        var s4 = term(start + 4), s5 = term(start + 5), s6 = term(start + 6), s7 = term(start + 7)
        var i = start + 8
        let blocksEnd = end - count % 8
        while i < blocksEnd {
            s0 += term(i)
            s1 += term(i + 1)
            s2 += term(i + 2)
            s3 += term(i + 3)
            s4 += term(i + 4)
            s5 += term(i + 5)
            s6 += term(i + 6)
            s7 += term(i + 7)
            i += 8
        }
        var sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
        while i < end {
            sum += term(i)
            i += 1
        }
        return sum
    }
    let half = count / 2 - (count / 2) % 8
    return pairwiseSum(from: start, count: half, term) + pairwiseSum(from: start + half, count: count - half, term)
}
