import Foundation

/// Errors of the CaloModels module, worded so the user can act on them.
public enum ModelError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A configuration value is missing or out of range.
    case invalidConfig(String)
    /// A checkpoint cannot be used (wrong geometry, missing metadata, other model kind).
    case invalidCheckpoint(path: String, reason: String)
    /// A run folder cannot be used as asked (e.g. --resume without a checkpoint).
    case invalidRun(String)

    // The CaloDiffusion network and its checkpoints.

    /// No built-in configuration has this name.
    case unknownPreset(String)
    /// A configuration cannot describe a working U-Net.
    case invalidNetworkConfig(name: String, reason: String)
    /// A forward input has the wrong shape; `expected` is written out, with `B` for the batch size.
    case wrongInputShape(input: String, expected: String, actual: [Int])
    /// A checkpoint file does not exist.
    case fileNotFound(path: String)
    /// A checkpoint file's tensors do not match the model of `preset`; `mismatch` lists every problem, and
    /// `matchingPresets` the built-in configurations the file does fit.
    case checkpointMismatch(path: String, preset: String, mismatch: String, matchingPresets: [String])
    /// A checkpoint file cannot be read as safetensors.
    case unreadableFile(path: String, reason: String)
    /// A torch.save file that LibTorch could not parse (`reason` is LibTorch's message).
    case unreadableTorchSave(path: String, reason: String)
    /// The tensor shapes of a reference checkpoint fit the inferred network on several geometries.
    case ambiguousReference(path: String, candidates: [String])
    /// A safetensors file lacks what a CaloForge CaloDiffusion checkpoint holds.
    case notACheckpoint(path: String, reason: String)
    /// A checkpoint tensor holds NaN or infinite values (`count` of them).
    case nonFiniteWeights(path: String, tensor: String, count: Int)
    /// A sampling step count the model cannot sample with.
    case tooFewSteps(steps: Int, minimum: Int)
    /// Reference weights CaloForge reads but cannot sample yet (the newest repository's formulations).
    case unsupportedReferenceFormulation(network: String, reason: String)
    /// `import` with no registered family that has a reference implementation.
    case noImporter(known: [String])
    /// A checkpoint names a model kind that no registered family has.
    case unknownModelKind(kind: String, known: [String])

    // The two-stage models' layer-energy variables and networks (TwoStage/).

    /// A layer-energy input has the wrong shape; `expected` is written out, with `B` for the batch size.
    case wrongLayerEnergyShape(input: String, expected: String, actual: [Int])
    /// Reference layer-network tensors do not fit ``LayerDiffusionNetwork``: `key` is the first problem in key
    /// order, missing (`actualShape` nil), unexpected (`expectedShape` nil) or of another shape; `otherProblems`
    /// counts the rest.
    case layerNetworkMismatch(key: String, expectedShape: [Int]?, actualShape: [Int]?, otherProblems: Int)
    /// A reference file whose U-Net is conditioned on layer energies (`network`, N + 2 energy inputs) holds no
    /// layer model (`layer_model.…`) to generate them.
    case missingLayerModel(path: String, network: String, energyInputs: Int)
    /// The model kind can be imported and sampled but not trained.
    case notTrainable(modelKind: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidConfig(message): return "invalid model configuration: \(message)"
        case let .invalidCheckpoint(path, reason): return "checkpoint \(path): \(reason)"
        case let .invalidRun(message): return message
        case let .unknownPreset(name):
            return "unknown CaloDiffusion configuration '\(name)'; built-in ones are "
                + CaloDiffusionConfig.presets.map(\.name).joined(separator: ", ")
        case let .invalidNetworkConfig(name, reason):
            return "CaloDiffusion configuration '\(name)': \(reason)"
        case let .wrongInputShape(input, expected, actual):
            return "CaloDiffusion U-Net input '\(input)' has shape \(actual), expected \(expected)"
        case let .fileNotFound(path):
            return "\(path) does not exist; check the path"
        case let .checkpointMismatch(path, preset, mismatch, matching):
            let hint =
                matching.isEmpty
                ? "the file fits none of the built-in configurations; was it written by the reference CaloDiffusionPaper or CaloDiffusion code?"
                : "the file fits --dataset \(matching.joined(separator: " or "))"
            return "\(path) does not fit the CaloDiffusion model for \(preset): \(mismatch). Hint: \(hint)"
        case let .unreadableFile(path, reason):
            return "\(path) cannot be read as a safetensors file: \(reason)"
        case let .unreadableTorchSave(path, reason):
            return "\(path) cannot be read as a torch.save file: \(reason). Check that torch.save wrote it completely, "
                + "or export the state dict as safetensors"
        case let .ambiguousReference(path, candidates):
            return "\(path) fits no built-in configuration, and its tensor shapes fit a network on each of the geometries "
                + candidates.joined(separator: ", ") + " (convolution weights do not depend on the grid); name the geometry "
                + "(--geometry) or a configuration (--dataset)"
        case let .notACheckpoint(path, reason):
            return "\(path) is not a CaloForge checkpoint: \(reason)"
        case let .nonFiniteWeights(path, tensor, count):
            return "\(path): tensor '\(tensor)' holds \(count) NaN or infinite value\(count == 1 ? "" : "s"); the training diverged or the file is damaged, so it would generate NaN showers; use an earlier checkpoint"
        case let .unsupportedReferenceFormulation(network, reason):
            return "the weights fit the CaloDiffusion network '\(network)', but they cannot be sampled yet: \(reason); nothing was written"
        case let .noImporter(known):
            return "none of the model families \(known.joined(separator: ", ")) can import reference weights"
        case let .unknownModelKind(kind, known):
            return "unknown model kind '\(kind)'; this CaloForge knows \(known.joined(separator: ", ")) (is the checkpoint from a newer version?)"
        case let .wrongLayerEnergyShape(input, expected, actual):
            return "layer-energy input '\(input)' has shape \(actual), expected \(expected)"
        case let .layerNetworkMismatch(key, expected, actual, others):
            let problem: String
            switch (expected, actual) {
            case let (expected?, actual?): problem = "has shape \(actual), the network expects \(expected)"
            case let (expected?, nil): problem = "is missing (the network expects shape \(expected))"
            case (nil, _?): problem = "is not part of the network"
            case (nil, nil): problem = "is missing; the network's widths are read from it"
            }
            let rest = others == 0 ? "" : " (and \(others) other problem\(others == 1 ? "" : "s"))"
            return "layer-energy network tensor '\(key)' \(problem)\(rest); check that the weights are a LayerDiffusion "
                + "layer model (keys without the 'layer_model.' prefix)"
        case let .missingLayerModel(path, network, inputs):
            return "\(path): the U-Net (\(network)) is conditioned on \(inputs) energy inputs [c_E, totalE', \(inputs - 2) layer values] "
                + "but the file holds no layer model ('layer_model.' keys); import the LayerDiffusion checkpoint that holds both networks"
        case let .notTrainable(kind, reason):
            return "a '\(kind)' model cannot be trained: \(reason)"
        case let .tooFewSteps(steps, minimum):
            return "sampling this model needs at least \(minimum) steps (it skips the first noise levels of its schedule); got --steps \(steps)"
        }
    }

    public var errorDescription: String? { description }
}
