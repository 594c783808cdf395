import Foundation

/// Errors of the Diffusion module. Each names the offending value and what to change.
public enum DiffusionError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A schedule, sampler or loss parameter is out of its valid range.
    case invalidParameter(name: String, value: String, requirement: String)
    /// A noise-level list handed to a sampler is not descending, positive and ending in 0.
    case invalidSigmas(reason: String, sigmas: [Double])
    /// A per-sample value has more axes than the tensor it should broadcast against.
    case rankMismatch(valueShape: [Int], targetRank: Int)
    /// A sampler name that `SamplerCatalog` does not list.
    case unknownSampler(name: String, known: [String])
    /// A sampler option (`--eta`, …) given to a sampler that does not take it.
    case inapplicableSamplerOption(option: String, sampler: String, appliesTo: [String])
    /// A sampler option outside its range for the chosen sampler.
    case invalidSamplerOption(option: String, sampler: String, value: String, requirement: String)
    /// Per-element loss weights do not broadcast to the clean batch.
    case weightShapeMismatch(weightShape: [Int], cleanShape: [Int])

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, requirement):
            return "\(name) = \(value) is invalid: \(requirement)"
        case let .invalidSigmas(reason, sigmas):
            let head = sigmas.prefix(4).map { String(format: "%.4g", $0) }.joined(separator: ", ")
            return "noise levels [\(head)\(sigmas.count > 4 ? ", …" : "")] (\(sigmas.count) values) \(reason); "
                + "build them with a schedule's sampling sigmas (descending, positive, ending in 0)"
        case let .rankMismatch(valueShape, targetRank):
            return "a per-sample value of shape \(valueShape) cannot broadcast against a rank-\(targetRank) state; "
                + "pass one value per batch element ([batch]) or a scalar"
        case let .unknownSampler(name, known):
            return "unknown sampler '\(name)'; choose one of \(known.joined(separator: ", "))"
        case let .inapplicableSamplerOption(option, sampler, appliesTo):
            let head = appliesTo.dropLast().joined(separator: ", ")
            let list = head.isEmpty ? appliesTo.last ?? "no sampler" : head + " and " + (appliesTo.last ?? "")
            return "\(option) applies to \(list) only; remove it or choose one of those samplers instead of \(sampler)"
        case let .invalidSamplerOption(option, sampler, value, requirement):
            return "\(option) = \(value) is invalid for sampler \(sampler): \(requirement)"
        case let .weightShapeMismatch(weightShape, cleanShape):
            return "loss weights of shape \(weightShape) do not broadcast to the clean batch \(cleanShape); "
                + "pass weights whose leading axes match the batch (size 1 or equal), e.g. a [batch, points] mask"
        }
    }

    public var errorDescription: String? { description }
}
