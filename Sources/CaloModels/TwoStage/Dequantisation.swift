import Foundation
import Torch

/// CaloFlow-style dequantisation (Krause & Shih 2021 add uniform noise below the readout threshold): every
/// energy gets log-uniform noise in [``lower``, ``upper``]·threshold (default 10⁻⁴ … 10⁻¹), so empty voxels
/// and layers become a smooth density a decade below the threshold instead of a point mass at 0, which a
/// flow with few steps cannot place exactly. The gap up to the threshold keeps the errors of the flow below
/// it, and the readout threshold removes the noise again after generation (``ShowerComposition``); a hit
/// changes by at most a tenth of the threshold.
public struct Dequantisation {
    /// The readout threshold in MeV.
    public let threshold: Double
    /// The noise range as fractions of the threshold.
    public let lower: Double
    public let upper: Double

    public init(threshold: Double, lower: Double = 1e-4, upper: Double = 1e-1) {
        self.threshold = threshold
        self.lower = lower
        self.upper = upper
    }

    /// `energies` `[B, …]` plus threshold·lower·(upper/lower)^U, U ~ U(0, 1) drawn from `generator`.
    public func callAsFunction(_ energies: Tensor, generator: Generator) throws -> Tensor {
        let u = try Tensor.rand(energies.shape, dtype: energies.dtype, device: energies.device, generator: generator)
        return try energies + (u * Foundation.log(upper / lower)).exp() * (threshold * lower)
    }
}
