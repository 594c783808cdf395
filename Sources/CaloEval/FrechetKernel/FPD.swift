import Torch

/// Settings of the Fréchet physics distance, named after JetNet's `fpd` arguments
/// (spec/calochallenge.md §6.3).
public struct FPDConfiguration: Sendable, Equatable, Codable {
    /// Smallest sample size N (`min_samples`).
    public var minSamples: Int
    /// Largest sample size N (`max_samples`).
    public var maxSamples: Int
    /// Draws averaged per sample size (`num_batches`).
    public var batchCount: Int
    /// Number of sample sizes, evenly spaced in 1/N (`num_points`).
    public var pointCount: Int
    /// Whether both samples are divided by the reference's column-wise max |x| first (`normalise`).
    public var normalise: Bool
    /// Seed of the NumPy `default_rng` stream the rows are drawn from (`seed`).
    public var seed: UInt64

    /// JetNet's defaults (`min_samples` 20 000).
    public init(
        minSamples: Int = 20_000, maxSamples: Int = 50_000, batchCount: Int = 20, pointCount: Int = 10,
        normalise: Bool = true, seed: UInt64 = 42
    ) {
        self.minSamples = minSamples
        self.maxSamples = maxSamples
        self.batchCount = batchCount
        self.pointCount = pointCount
        self.normalise = normalise
        self.seed = seed
    }

    /// evaluate.py's call `fpd(reference, submission, min_samples=10000)`.
    public static let caloChallenge = FPDConfiguration(minSamples: 10_000)

    /// The sample sizes N_k = int(1 / linspace(1/minSamples, 1/maxSamples, pointCount)), truncated
    /// as NumPy's `astype("int32")` does (10 000 … 49 999 for CaloChallenge).
    public var sampleSizes: [Int] {
        let start = 1 / Double(minSamples)
        let stop = 1 / Double(maxSamples)
        guard pointCount > 1 else { return [Int(1 / start)] }
        let step = (stop - start) / Double(pointCount - 1)
        return (0..<pointCount).map { k in
            let reciprocal = k == pointCount - 1 ? stop : Double(k) * step + start
            return Int(1 / reciprocal)
        }
    }

    func validate() throws {
        guard minSamples >= 2, maxSamples >= 2, batchCount >= 1, pointCount >= 2 else {
            throw EvaluationError.invalidArgument(
                "FPD: minSamples (\(minSamples)) and maxSamples (\(maxSamples)) must be at least 2, batchCount (\(batchCount)) at least 1 and pointCount (\(pointCount)) at least 2"
            )
        }
    }
}

/// The mean Fréchet distance at each sample size: the statistics FPD extrapolates
/// (spec/calochallenge.md §6.3).
public struct FPDMeasurement: Sendable, Equatable, Codable {
    /// Sample sizes N_k.
    public var sampleSizes: [Int]
    /// Mean over the draws of the Fréchet distance between N_k rows of each sample.
    public var meanDistances: [Double]

    public init(sampleSizes: [Int], meanDistances: [Double]) {
        self.sampleSizes = sampleSizes
        self.meanDistances = meanDistances
    }

    /// FPD: the intercept a of the least-squares fit FD(N) = a + b/N with a, b ≥ 0 (JetNet fits
    /// with `curve_fit(…, bounds=([0, 0], [inf, inf]))`), and its standard error
    /// sqrt(Var a) from the fit covariance s²·(JᵀJ)⁻¹, s² = residual sum of squares / (points − 2).
    public func extrapolated() -> PhysicsDistance {
        let fit = boundedLinearFit(x: sampleSizes.map { 1 / Double($0) }, y: meanDistances)
        return PhysicsDistance(value: fit.intercept, error: fit.interceptError)
    }
}

/// The Fréchet physics distance between two feature samples, exactly as JetNet's `fpd`
/// (spec/calochallenge.md §6.2–6.3; Kansal et al., arXiv:2211.10295): both samples normalised
/// by the reference, then for each N_k in ``FPDConfiguration/sampleSizes`` the Fréchet distance
/// (``frechetDistance(_:_:)``) between N_k rows drawn with replacement from each sample, averaged
/// over ``FPDConfiguration/batchCount`` draws, extrapolated to N → ∞
/// (``FPDMeasurement/extrapolated()``).
///
/// Rows are drawn from NumPy's `default_rng(seed)` stream, reproduced exactly, in JetNet's order
/// (reference rows, then generated rows, per draw), so the same inputs select the same rows as
/// JetNet. The linear algebra runs in float64 on the inputs' device.
///
/// - Parameters:
///   - reference: `[events, features]`, the Geant4 sample (JetNet's `real_features`); for the
///     CaloChallenge the matrix of ``ClassifierInputs/highLevel(_:)``.
///   - generated: `[events, features]`, the sample under test.
/// - Throws: ``EvaluationError/invalidArgument(_:)`` for mismatched shapes or an invalid configuration.
public func fpd(reference: Tensor, generated: Tensor, configuration: FPDConfiguration = .caloChallenge) throws -> PhysicsDistance
{
    try fpdMeasurement(reference: reference, generated: generated, configuration: configuration).extrapolated()
}

/// The statistics step of ``fpd(reference:generated:configuration:)``: the mean Fréchet distance
/// at every sample size, before the extrapolation.
public func fpdMeasurement(reference: Tensor, generated: Tensor, configuration: FPDConfiguration = .caloChallenge) throws
    -> FPDMeasurement
{
    try configuration.validate()
    try checkFeatureMatrices(reference, generated, metric: "FPD")
    var (x, y) = (try reference.to(dtype: .float64), try generated.to(dtype: .float64))
    if configuration.normalise { (x, y) = try maxAbsNormalised(reference: x, generated: y) }
    var stream = NumPyRandomStream(seed: configuration.seed)
    let sizes = configuration.sampleSizes
    var means: [Double] = []
    for size in sizes {
        var total = 0.0
        for _ in 0..<configuration.batchCount {
            let rowsX = try rows(of: x, stream.choice(x.dim(0), count: size))
            let rowsY = try rows(of: y, stream.choice(y.dim(0), count: size))
            total += try frechetDistance(GaussianStatistics(features: rowsX), GaussianStatistics(features: rowsY))
        }
        means.append(total / Double(configuration.batchCount))
    }
    return FPDMeasurement(sampleSizes: sizes, meanDistances: means)
}

/// The rows of `x` at `indices` (on x's device).
func rows(of x: Tensor, _ indices: [Int]) throws -> Tensor {
    let index = try Tensor(indices.map { Int64($0) }).to(x.device)
    return try x.indexSelect(dim: 0, index: index)
}

/// Least squares y ≈ a + b·x subject to a ≥ 0, b ≥ 0, with the standard error of a computed as
/// scipy's `curve_fit` does (absolute_sigma false): sqrt(s² [(JᵀJ)⁻¹]₀₀), J = [1, x],
/// s² = Σ residual² / (n − 2).
///
/// The problem is a convex quadratic in two variables, so the optimum is the unconstrained
/// solution when feasible, otherwise the better of the two edges a = 0 and b = 0 (each clipped at
/// 0). scipy's trust-region solver keeps its iterates strictly inside the bounds, so where a bound
/// is active it returns a value a rounding step above 0 where this returns exactly 0.
func boundedLinearFit(x: [Double], y: [Double]) -> (intercept: Double, slope: Double, interceptError: Double) {
    let n = Double(x.count)
    let meanX = x.reduce(0, +) / n
    let meanY = y.reduce(0, +) / n
    var sxx = 0.0, sxy = 0.0, sumXSquared = 0.0, sumXY = 0.0
    for (xi, yi) in zip(x, y) {
        sxx += (xi - meanX) * (xi - meanX)
        sxy += (xi - meanX) * (yi - meanY)
        sumXSquared += xi * xi
        sumXY += xi * yi
    }
    func residualSum(_ a: Double, _ b: Double) -> Double {
        zip(x, y).reduce(0) { $0 + ($1.1 - a - b * $1.0) * ($1.1 - a - b * $1.0) }
    }
    var (a, b) = sxx > 0 ? (meanY - sxy / sxx * meanX, sxy / sxx) : (meanY, 0)
    if a < 0 || b < 0 {
        let throughOrigin = (0.0, Swift.max(0, sumXSquared > 0 ? sumXY / sumXSquared : 0))
        let flat = (Swift.max(0, meanY), 0.0)
        (a, b) = residualSum(throughOrigin.0, throughOrigin.1) < residualSum(flat.0, flat.1) ? throughOrigin : flat
    }
    let variance = x.count > 2 && sxx > 0 ? residualSum(a, b) / (n - 2) * sumXSquared / (n * sxx) : .infinity
    return (a, b, variance.squareRoot())
}
