import Torch

/// Precision, recall, density and coverage of a generated sample against a reference sample
/// (spec/calochallenge.md §7.1; Naeem et al. 2020, the `prdc` package's `compute_prdc`; review
/// paper eqs. 43–47).
public struct PRDCScores: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Fraction of generated points inside some reference point's k-NN ball.
    public var precision: Double
    /// Fraction of reference points inside some generated point's k-NN ball.
    public var recall: Double
    /// Mean number of reference k-NN balls containing a generated point, divided by k (can exceed 1).
    public var density: Double
    /// Fraction of reference points whose k-NN ball contains their nearest generated point.
    public var coverage: Double

    public init(precision: Double, recall: Double, density: Double, coverage: Double) {
        self.precision = precision
        self.recall = recall
        self.density = density
        self.coverage = coverage
    }

    public var description: String {
        "precision \(precision), recall \(recall), density \(density), coverage \(coverage)"
    }
}

/// Settings of PRDC.
public struct PRDCConfiguration: Sendable, Equatable {
    /// k of the k-nearest-neighbour radii (evaluate.py `--prdc_k`, default 5).
    public var nearestK: Int
    /// Largest block of the distance matrix held at once, in elements (memory only; results do
    /// not depend on it). 2²⁵ float64 entries are 256 MiB.
    public var maxBlockElements: Int
    /// Precision of the points and distances: float64 by default; float32 halves the memory of
    /// the point sets (ds3 has 40 500 voxels per event), at the cost of rounding that can flip
    /// comparisons of nearly equal distances.
    public var dtype: DType

    public init(nearestK: Int = 5, maxBlockElements: Int = 1 << 25, dtype: DType = .float64) {
        self.nearestK = nearestK
        self.maxBlockElements = maxBlockElements
        self.dtype = dtype
    }

    /// evaluate.py's PRDC: k = 5.
    public static let caloChallenge = PRDCConfiguration()
}

/// The PRDC input of a set of showers: every voxel equal to 0 becomes 0.1 MeV, then log10 of
/// everything (spec §7.1, pitfall §8.14: zeros map to −1; surviving ds2/3 voxels below 0.1 MeV
/// map below −1).
///
/// - Parameter showers: `[events, voxels]` in MeV, already cut with the readout threshold.
/// - Returns: `[events, voxels]` float64 on the showers' device.
public func prdcLogTransformed(_ showers: Tensor) throws -> Tensor {
    let x = try showers.to(dtype: .float64)
    return try x.maskedFill(x .== 0, 0.1).log10()
}

/// The radius of every point: the distance to its k-th nearest neighbour in its own set, itself
/// excluded (the prdc package's `compute_nearest_neighbour_distances`: the (k+1)-th smallest
/// distance of the row, whose smallest is the zero self-distance).
///
/// Distances are Euclidean (``euclideanDistances(_:_:squaredNorms:)``) in `dtype`, on the points'
/// device. The distance matrix of a set with itself is symmetric, so only its upper triangle is
/// computed, in strips of consecutive rows against all later columns, each of at most
/// `maxBlockElements` entries (10⁵ points then fit in memory): a strip gives its own rows their
/// smallest distances to every later point, and the later points (through its columns) their
/// smallest distances to the strip's rows, kept as a running k+1 smallest per point. Only the
/// strips' squares on the diagonal are computed whole, so the matrix products are nearly halved
/// (PRDC as a whole 1.4× faster for 2·10⁴ ds2 showers, docs/benchmarks.md). Self-distances are
/// exactly 0, as sklearn sets them for a matrix of a set with itself. A distance may differ from the
/// full matrix's in its last bits (x·y and y·x round alike only by luck).
///
/// - Parameters:
///   - points: `[count, features]`, count > k.
///   - progress: called after every strip with the distances computed so far and their total,
///     count·(count+1)/2 (a measure of the work, which shrinks from strip to strip).
/// - Returns: `[count]` in `dtype`.
/// - Throws: ``EvaluationError/invalidArgument(_:)`` when there are not more than k points.
public func nearestNeighbourRadii(
    _ points: Tensor, nearestK k: Int, maxBlockElements: Int = 1 << 25, dtype: DType = .float64,
    progress: ((_ done: Int, _ total: Int) -> Void)? = nil
) throws -> Tensor {
    guard points.ndim == 2, k >= 1, points.dim(0) > k, dtype.isFloatingPoint else {
        throw EvaluationError.invalidArgument(
            "PRDC: k-nearest-neighbour radii with k = \(k) need points [count, features] with more than k points and a floating-point dtype, got shape \(points.shape), \(dtype)"
        )
    }
    let x = try points.to(dtype: dtype)
    let count = x.dim(0)
    let norms = try rowSquaredNorms(x)
    let totalDistances = count * (count + 1) / 2
    // The k+1 smallest distances found so far of every point from `start` on (to earlier points).
    var smallestToEarlier = try Tensor.full([count, k + 1], value: .infinity, dtype: dtype, device: x.device)
    var radii: [Tensor] = []
    var start = 0
    var done = 0
    // Every strip holds about the same number of entries, so the CPU allocator's cache reuses its
    // blocks; at most count²/32 of them (but 256 rows' worth), because a strip's square on the
    // diagonal is computed whole and wide strips of a small set would waste up to a third.
    let stripElements = Swift.min(maxBlockElements, Swift.max(count * count / 32, 256 * count))
    while start < count {
        let columns = count - start
        let rows = Swift.min(columns, Swift.max(1, stripElements / columns))
        let later = columns - rows
        let block = try x.narrowed(dim: 0, start: start, length: rows)
        let diagonal = try Tensor.arange(0, Double(rows), dtype: .int64, device: x.device)
        let strip = try euclideanDistances(
            block, x.narrowed(dim: 0, start: start, length: columns), squaredNorms: norms.narrowed(dim: 0, start: start, length: columns)
        ).maskedFill(diagonal.unsqueezed(1) .== Tensor.arange(0, Double(columns), dtype: .int64, device: x.device).unsqueezed(0), 0)
        // The strip's rows: their distances to later points (and each other) merged with those to earlier ones.
        let own = try strip.topk(Swift.min(k + 1, columns), dim: 1, largest: false, sorted: false).values
        let merged = try Tensor.cat([smallestToEarlier.narrowed(dim: 0, start: 0, length: rows), own], dim: 1)
        radii.append(try merged.topk(k + 1, dim: 1, largest: false, sorted: true).values.selecting(dim: 1, index: k))
        // The later points: their distances to the strip's rows, read down its columns.
        if later > 0 {
            let columnSmallest = try strip.narrowed(dim: 1, start: rows, length: later)
                .topk(Swift.min(k + 1, rows), dim: 0, largest: false, sorted: false).values.transposed(0, 1)
            smallestToEarlier = try Tensor.cat([smallestToEarlier.narrowed(dim: 0, start: rows, length: later), columnSmallest], dim: 1)
                .topk(k + 1, dim: 1, largest: false, sorted: false).values
        }
        start += rows
        done += rows * columns - rows * (rows - 1) / 2
        progress?(done, totalDistances)
    }
    return try Tensor.cat(radii, dim: 0)
}

/// PRDC of `fake` against `real` with k-nearest-neighbour balls (spec §7.1), strict comparisons:
/// with rᵢ the radius of real point xᵢ and sⱼ that of fake point yⱼ,
/// - precision = mean over j of [∃ i: ‖xᵢ − yⱼ‖ < rᵢ],
/// - recall = mean over i of [∃ j: ‖xᵢ − yⱼ‖ < sⱼ],
/// - density = (1/k) · mean over j of #{i: ‖xᵢ − yⱼ‖ < rᵢ},
/// - coverage = mean over i of [minⱼ ‖xᵢ − yⱼ‖ < rᵢ].
///
/// For CaloChallenge showers pass ``prdcLogTransformed(_:)`` of the thresholded showers, all
/// events (real = reference). The radii come from ``nearestNeighbourRadii(_:nearestK:maxBlockElements:)``,
/// so a reference's radii can be computed once and passed to
/// ``prdc(real:realRadii:fake:fakeRadii:configuration:)``.
///
/// - Parameters:
///   - real: `[n, features]` reference points.
///   - fake: `[m, features]` generated points, on the same device.
/// - Throws: ``EvaluationError/invalidArgument(_:)`` for mismatched shapes or sets of at most k points.
public func prdc(real: Tensor, fake: Tensor, configuration: PRDCConfiguration = .caloChallenge) throws -> PRDCScores {
    try checkFeatureMatrices(real, fake, metric: "PRDC")
    let k = configuration.nearestK
    let realRadii = try nearestNeighbourRadii(
        real, nearestK: k, maxBlockElements: configuration.maxBlockElements, dtype: configuration.dtype)
    let fakeRadii = try nearestNeighbourRadii(
        fake, nearestK: k, maxBlockElements: configuration.maxBlockElements, dtype: configuration.dtype)
    return try prdc(real: real, realRadii: realRadii, fake: fake, fakeRadii: fakeRadii, configuration: configuration)
}

/// The score step of ``prdc(real:fake:configuration:)``, given both sets' k-NN radii.
///
/// - Parameter progress: called after every block with the real rows done and their total.
/// - Throws: ``EvaluationError/invalidArgument(_:)`` when a radius vector does not match its set.
public func prdc(
    real: Tensor, realRadii: Tensor, fake: Tensor, fakeRadii: Tensor,
    configuration: PRDCConfiguration = .caloChallenge, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
) throws -> PRDCScores {
    try checkFeatureMatrices(real, fake, metric: "PRDC")
    guard realRadii.shape == [real.dim(0)], fakeRadii.shape == [fake.dim(0)], configuration.dtype.isFloatingPoint else {
        throw EvaluationError.invalidArgument(
            "PRDC: radii \(realRadii.shape) and \(fakeRadii.shape) must have one entry per point of real \(real.shape) and fake \(fake.shape), and the dtype (\(configuration.dtype)) must be floating-point"
        )
    }
    let x = try real.to(dtype: configuration.dtype)
    let y = try fake.to(dtype: configuration.dtype, device: x.device)
    let r = try realRadii.to(dtype: configuration.dtype, device: x.device)
    let s = try fakeRadii.to(dtype: configuration.dtype, device: x.device).unsqueezed(0)
    var ballCounts = try Tensor.zeros([y.dim(0)], dtype: .float64, device: x.device)  // exact counts
    let norms = try rowSquaredNorms(y)
    var recalled = 0.0
    var covered = 0.0
    for (start, block) in try rowBlocks(x, columns: y.dim(0), maxBlockElements: configuration.maxBlockElements) {
        let distances = try euclideanDistances(block, y, squaredNorms: norms)
        let radii = try r.narrowed(dim: 0, start: start, length: block.dim(0)).unsqueezed(1)
        ballCounts = try ballCounts + (distances .< radii).sum(dims: [0]).to(dtype: .float64)
        recalled += try ((distances .< s).sum(dims: [1]) .> 0).sum().item()
        covered += try (distances.min(dim: 1).values .< radii.squeezed(dim: 1)).sum().item()
        progress?(start + block.dim(0), x.dim(0))
    }
    let fakeCount = Double(y.dim(0))
    let realCount = Double(x.dim(0))
    return PRDCScores(
        precision: try (ballCounts .> 0).sum().item() / fakeCount,
        recall: recalled / realCount,
        density: 1 / Double(configuration.nearestK) * (try ballCounts.sum().item() / fakeCount),
        coverage: covered / realCount)
}

/// Euclidean distances `[m, n]` between the rows of `x` `[m, d]` and of `y` `[n, d]` as
/// sqrt(max(‖x‖² + ‖y‖² − 2 x·yᵀ, 0)), the expansion of sklearn's `euclidean_distances` (which the
/// prdc package calls). `squaredNorms` are the rows' ‖y‖² (``rowSquaredNorms(_:)``), computed once per
/// set. LibTorch's `cdist` computes the same expansion but copies all of `y` with two extra columns
/// on every call: 5 GB per block for 100 000 ds2 showers, and 1.6× the time.
func euclideanDistances(_ x: Tensor, _ y: Tensor, squaredNorms: Tensor) throws -> Tensor {
    // sklearn's order of operations: −2 x·yᵀ, then + ‖x‖², then + ‖y‖².
    let expanded = try (x.matmul(y.transposed(0, 1)) * -2 + rowSquaredNorms(x).unsqueezed(1)) + squaredNorms.unsqueezed(0)
    return try expanded.clamped(min: 0).sqrt()
}

/// ‖row‖² of every row of `x`, `[rows]`.
func rowSquaredNorms(_ x: Tensor) throws -> Tensor { try (x * x).sum(dims: [1]) }

/// Consecutive row blocks of `x` whose distance rows to `columns` points hold at most
/// `maxBlockElements` entries, with their first row index.
private func rowBlocks(_ x: Tensor, columns: Int, maxBlockElements: Int) throws -> [(start: Int, block: Tensor)] {
    let rowsPerBlock = Swift.max(1, maxBlockElements / Swift.max(1, columns))
    var result: [(Int, Tensor)] = []
    var start = 0
    while start < x.dim(0) {
        let count = Swift.min(rowsPerBlock, x.dim(0) - start)
        result.append((start, try x.narrowed(dim: 0, start: start, length: count)))
        start += count
    }
    return result
}
