/// The 1-Wasserstein (earth mover's) distance between the empirical distributions of two samples:
/// W₁ = ∫ |F_u(x) − F_v(x)| dx, with F the empirical CDFs — the value of
/// `scipy.stats.wasserstein_distance(u, v)` without weights.
///
/// Computed by sorting both samples and sweeping the merged values: between consecutive merged values
/// both CDFs are constant. O((n + m) log(n + m)). NaN when either sample is empty.
public func wassersteinDistance(_ u: [Double], _ v: [Double]) -> Double {
    guard !u.isEmpty, !v.isEmpty else { return .nan }
    let a = u.sorted(), b = v.sorted()
    let nu = Double(a.count), nv = Double(b.count)
    var i = 0, j = 0
    var current = Swift.min(a[0], b[0])
    var distance = 0.0
    while i < a.count || j < b.count {
        // Consume every value equal to `current`, then F_u and F_v hold until the next value.
        while i < a.count, a[i] <= current { i += 1 }
        while j < b.count, b[j] <= current { j += 1 }
        let next: Double
        if i < a.count, j < b.count {
            next = Swift.min(a[i], b[j])
        } else if i < a.count {
            next = a[i]
        } else if j < b.count {
            next = b[j]
        } else {
            break
        }
        distance += Swift.abs(Double(i) / nu - Double(j) / nv) * (next - current)
        current = next
    }
    return distance
}
