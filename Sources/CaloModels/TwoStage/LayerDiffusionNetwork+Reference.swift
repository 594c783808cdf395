import Torch
import TorchNN

extension LayerDiffusionNetwork {
    /// The widths a reference layer model's tensors (keys without `layer_model.`) were made with: N and the hidden
    /// width from `in_lay.weight` `[hidden, N + 1]`, the condition size from `time_mlp.5.weight`, the condition
    /// inputs from `cond_mlp.0.weight` and the block count from the `hidden_layers.<k>.` prefixes.
    /// - Throws: ``ModelError/layerNetworkMismatch(key:expectedShape:actualShape:otherProblems:)`` when one of
    ///   those tensors is missing or not a matrix.
    public static func referenceConfig(of tensors: [String: Tensor]) throws -> Config {
        func matrix(_ key: String) throws -> [Int] {
            guard let shape = tensors[key]?.shape else {
                throw ModelError.layerNetworkMismatch(key: key, expectedShape: nil, actualShape: nil, otherProblems: 0)
            }
            guard shape.count == 2 else {
                throw ModelError.layerNetworkMismatch(key: key, expectedShape: nil, actualShape: shape, otherProblems: 0)
            }
            return shape
        }
        let input = try matrix("in_lay.weight")
        let time = try matrix("time_mlp.5.weight")
        let condition = try matrix("cond_mlp.0.weight")
        let blockCount = Set(tensors.keys.compactMap { key -> Int? in
            guard key.hasPrefix("hidden_layers.") else { return nil }
            return Int(key.dropFirst("hidden_layers.".count).prefix { $0 != "." })
        }).count
        return Config(
            layerCount: input[1] - 1, hiddenWidth: input[0], conditionSize: 2 * time[0], blockCount: blockCount,
            conditionInputs: condition[1])
    }

    /// The reference layer model `tensors` (keys without `layer_model.`, e.g. ``ReferenceImport/layerModel``),
    /// loaded strictly into a network of the widths they were made with.
    /// - Throws: ``ModelError/layerNetworkMismatch(key:expectedShape:actualShape:otherProblems:)`` naming the
    ///   first missing, unexpected or mis-shaped key; ``ModelError/invalidConfig(_:)`` for widths that build no
    ///   network.
    public convenience init(referenceTensors tensors: [String: Tensor]) throws {
        let config = try Self.referenceConfig(of: tensors)
        try self.init(config: config, generator: Generator(seed: 0))
        let own = stateDict()
        var problems: [(key: String, expected: [Int]?, actual: [Int]?)] = []
        for key in Set(own.keys).union(tensors.keys).sorted() {
            let expected = own[key]?.shape
            let actual = tensors[key]?.shape
            if expected != actual { problems.append((key, expected, actual)) }
        }
        if let first = problems.first {
            throw ModelError.layerNetworkMismatch(
                key: first.key, expectedShape: first.expected, actualShape: first.actual, otherProblems: problems.count - 1)
        }
        try load(stateDict: tensors, strict: true)
    }
}

extension ReferenceImport {
    /// The imported file's layer-energy network (``layerModel`` loaded strictly into a ``LayerDiffusionNetwork``).
    /// - Throws: ``ModelError/layerNetworkMismatch(key:expectedShape:actualShape:otherProblems:)``; a file without
    ///   a layer model reports `in_lay.weight` missing.
    public func layerDiffusionNetwork() throws -> LayerDiffusionNetwork {
        try LayerDiffusionNetwork(referenceTensors: layerModel)
    }
}
