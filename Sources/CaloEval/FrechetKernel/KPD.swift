import Torch

/// Settings of the kernel physics distance, named after JetNet's `kpd` arguments
/// (spec/calochallenge.md §6.4).
public struct KPDConfiguration: Sendable, Equatable, Codable {
    /// Number of batches (`num_batches`).
    public var batchCount: Int
    /// Rows drawn with replacement from each sample per batch (`batch_size`).
    public var batchSize: Int
    /// Whether both samples are divided by the reference's column-wise max |x| first (`normalise`).
    public var normalise: Bool
    /// Batch i draws from NumPy's `default_rng(seed + 1000·i)` (`seed`).
    public var seed: UInt64
    /// Largest kernel block held at once, in elements (memory only; the value does not change).
    public var maxBlockElements: Int

    /// JetNet's defaults (`batch_size` 5 000).
    public init(
        batchCount: Int = 10, batchSize: Int = 5_000, normalise: Bool = true, seed: UInt64 = 42,
        maxBlockElements: Int = 1 << 24
    ) {
        self.batchCount = batchCount
        self.batchSize = batchSize
        self.normalise = normalise
        self.seed = seed
        self.maxBlockElements = maxBlockElements
    }

    /// evaluate.py's call `kpd(reference, submission, batch_size=10000)`.
    public static let caloChallenge = KPDConfiguration(batchSize: 10_000)
}

/// The unbiased MMD² of each batch: the statistics KPD summarises (spec/calochallenge.md §6.4).
public struct KPDMeasurement: Sendable, Equatable, Codable {
    /// MMD² of every batch, in batch order.
    public var batchValues: [Double]

    public init(batchValues: [Double]) {
        self.batchValues = batchValues
    }

    /// KPD: the median of the batch values, with error half the distance between their 16.275th
    /// and 83.725th percentiles (JetNet: `np.median` and `scipy.stats.iqr(…, rng=(16.275, 83.725)) / 2`,
    /// linear interpolation between order statistics).
    public func summarised() -> PhysicsDistance {
        let sorted = batchValues.sorted()
        let spread = numpyPercentile(sorted: sorted, 83.725) - numpyPercentile(sorted: sorted, 16.275)
        return PhysicsDistance(value: numpyMedian(sorted: sorted), error: spread / 2)
    }
}

/// The kernel physics distance between two feature samples, exactly as JetNet's `kpd`
/// (spec/calochallenge.md §6.2, §6.4; Kansal et al., arXiv:2211.10295): both samples normalised
/// by the reference, then for each of ``KPDConfiguration/batchCount`` batches the unbiased MMD²
/// (``polynomialKernelMMD(_:_:degree:maxBlockElements:)``, degree 4) between
/// ``KPDConfiguration/batchSize`` rows drawn with replacement from each sample, summarised by
/// ``KPDMeasurement/summarised()``.
///
/// Batch i draws from NumPy's `default_rng(seed + 1000·i)`, reproduced exactly (reference rows
/// first), so the same inputs select the same rows as JetNet. Kernel sums run in float64 on the
/// inputs' device, in blocks of at most ``KPDConfiguration/maxBlockElements``.
///
/// - Parameters:
///   - reference: `[events, features]`, the Geant4 sample (JetNet's `real_features`).
///   - generated: `[events, features]`, the sample under test.
/// - Throws: ``EvaluationError/invalidArgument(_:)`` for mismatched shapes or a batch size below 2.
public func kpd(reference: Tensor, generated: Tensor, configuration: KPDConfiguration = .caloChallenge) throws -> PhysicsDistance
{
    try kpdMeasurement(reference: reference, generated: generated, configuration: configuration).summarised()
}

/// The statistics step of ``kpd(reference:generated:configuration:)``: the MMD² of every batch.
public func kpdMeasurement(reference: Tensor, generated: Tensor, configuration: KPDConfiguration = .caloChallenge) throws
    -> KPDMeasurement
{
    guard configuration.batchCount >= 1, configuration.batchSize >= 2 else {
        throw EvaluationError.invalidArgument(
            "KPD: batchCount (\(configuration.batchCount)) must be at least 1 and batchSize (\(configuration.batchSize)) at least 2"
        )
    }
    try checkFeatureMatrices(reference, generated, metric: "KPD")
    var (x, y) = (try reference.to(dtype: .float64), try generated.to(dtype: .float64))
    if configuration.normalise { (x, y) = try maxAbsNormalised(reference: x, generated: y) }
    var values: [Double] = []
    for batch in 0..<configuration.batchCount {
        var stream = NumPyRandomStream(seed: configuration.seed + 1000 * UInt64(batch))
        let rowsX = try rows(of: x, stream.choice(x.dim(0), count: configuration.batchSize))
        let rowsY = try rows(of: y, stream.choice(y.dim(0), count: configuration.batchSize))
        values.append(try polynomialKernelMMD(rowsX, rowsY, maxBlockElements: configuration.maxBlockElements))
    }
    return KPDMeasurement(batchValues: values)
}

/// The unbiased quadratic-time estimate of MMD² between samples X `[m, d]` and Y `[n, d]` with the
/// polynomial kernel k(x, y) = (x·y / d + 1)^degree (spec §6.4; JetNet
/// `_mmd_poly_quadratic_unbiased`, degree 4, not KID's 3):
///
///     MMD²ᵤ = Σ_{i≠j} k(xᵢ, xⱼ) / (m(m−1)) + Σ_{i≠j} k(yᵢ, yⱼ) / (n(n−1)) − 2 · mean_{i,j} k(xᵢ, yⱼ).
///
/// It can be negative. The kernel matrices are summed block by block (at most `maxBlockElements`
/// entries at once), in float64 on the inputs' device.
///
/// - Throws: ``EvaluationError/invalidArgument(_:)`` unless both samples have ≥ 2 rows of d features.
public func polynomialKernelMMD(_ x: Tensor, _ y: Tensor, degree: Int = 4, maxBlockElements: Int = 1 << 24) throws -> Double {
    try checkFeatureMatrices(x, y, metric: "polynomial-kernel MMD")
    guard x.dim(0) >= 2, y.dim(0) >= 2 else {
        throw EvaluationError.invalidArgument(
            "polynomial-kernel MMD: both samples need at least 2 rows, got \(x.shape) and \(y.shape)")
    }
    let x = try x.to(dtype: .float64)
    let y = try y.to(dtype: .float64)
    let gamma = 1 / Double(x.dim(1))
    let m = Double(x.dim(0))
    let n = Double(y.dim(0))
    func offDiagonalSum(_ z: Tensor) throws -> Double {
        let diagonal = try ((z * z).sum(dims: [1]) * gamma + 1).pow(Double(degree)).sum().item()
        return try kernelSum(z, z, degree: degree, gamma: gamma, maxBlockElements: maxBlockElements) - diagonal
    }
    let xx = try offDiagonalSum(x) / (m * (m - 1))
    let yy = try offDiagonalSum(y) / (n * (n - 1))
    let xy = try kernelSum(x, y, degree: degree, gamma: gamma, maxBlockElements: maxBlockElements) / (m * n)
    return xx + yy - 2 * xy
}

/// Σ_{i,j} (xᵢ·yⱼ·γ + 1)^degree, over row blocks of x.
private func kernelSum(_ x: Tensor, _ y: Tensor, degree: Int, gamma: Double, maxBlockElements: Int) throws -> Double {
    let yT = try y.transposed(0, 1)
    let rowsPerBlock = Swift.max(1, maxBlockElements / Swift.max(1, y.dim(0)))
    var total = 0.0
    var start = 0
    while start < x.dim(0) {
        let count = Swift.min(rowsPerBlock, x.dim(0) - start)
        let block = try x.narrowed(dim: 0, start: start, length: count)
        total += try (block.matmul(yT) * gamma + 1).pow(Double(degree)).sum().item()
        start += count
    }
    return total
}
