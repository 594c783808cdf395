import Foundation
import Torch
import TorchNN

/// The layout of a trainer's `last.safetensors`, for any number of trained parts. With one part it is
/// TorchNN's ``TrainingCheckpoint`` layout: the model's whole state dict under `model.<key>`, the
/// optimizer state under `optimizer.<key>` (its metadata under `optimizer.<name>`), hook tensors under
/// their own keys (`ema.<key>`), generator states under `generator.<name>`, and as metadata the `step`,
/// the trainer state as JSON (`schedule`) and the caller's strings. With several parts, each optimizer's
/// keys carry its part's name: `optimizer.<part>.…`.
struct RunCheckpoint {
    /// One part's name with the optimizer that trains it.
    struct Part {
        var name: String
        var optimizer: Optimizer
    }

    /// The model's module: every network, trained or frozen.
    let module: Module
    let parts: [Part]
    let hooks: [any TrainingHook]
    let generators: [String: Generator]

    /// `optimizer.` with one part, `optimizer.<part>.` with several.
    func optimizerPrefix(_ part: Part) -> String { parts.count == 1 ? "optimizer." : "optimizer.\(part.name)." }

    static let stepKey = "step"
    static let stateKey = "schedule"

    func isReserved(_ key: String) -> Bool { key == Self.stepKey || key == Self.stateKey || key.hasPrefix("optimizer.") }

    /// Writes the checkpoint atomically. Throws ``ModelError/invalidCheckpoint(path:reason:)`` when
    /// `metadata` uses a reserved key or two parts or hooks claim the same tensor key.
    func save(to url: URL, step: Int, state: some Encodable, metadata: [String: String]) throws {
        func fail(_ reason: String) -> ModelError { .invalidCheckpoint(path: url.path, reason: reason) }
        if let clash = metadata.keys.sorted().first(where: isReserved) {
            throw fail("metadata key '\(clash)' is reserved (step, schedule, optimizer.…); rename it")
        }
        var tensors: [String: Tensor] = [:]
        var allMetadata = metadata
        func add(_ key: String, _ tensor: Tensor) throws {
            guard tensors.updateValue(tensor, forKey: key) == nil else { throw fail("two parts or hooks write the tensor '\(key)'") }
        }
        for (key, t) in module.stateDict() { try add("model." + key, t) }
        for part in parts {
            let (optimizerTensors, optimizerMetadata) = part.optimizer.stateDict()
            for (key, t) in optimizerTensors { try add(optimizerPrefix(part) + key, t) }
            for (key, value) in optimizerMetadata { allMetadata[optimizerPrefix(part) + key] = value }
        }
        for hook in hooks { for (key, t) in hook.checkpointTensors { try add(key, t) } }
        for (name, generator) in generators { try add("generator.\(name)", try generator.state()) }
        allMetadata[Self.stepKey] = String(step)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        allMetadata[Self.stateKey] = String(decoding: try encoder.encode(state), as: UTF8.self)
        try Safetensors.save(tensors, metadata: allMetadata, to: url)
    }

    /// Restores every part (strictly), optimizer, hook and generator from `url` and returns the saved
    /// trainer state JSON. Throws ``ModelError/invalidCheckpoint(path:reason:)`` naming what does not
    /// match; objects restored before the failing one keep their new values.
    func load(from url: URL) throws -> (step: Int, state: String?) {
        func fail(_ reason: String) -> ModelError { .invalidCheckpoint(path: url.path, reason: reason) }
        let (tensors, metadata) = try Safetensors.load(url)
        guard let step = metadata[Self.stepKey].flatMap(Int.init) else {
            throw fail("has no 'step' metadata; it is not a training checkpoint")
        }
        var unclaimed = Set(tensors.keys)
        func take(prefix: String) -> [String: Tensor] {
            var taken: [String: Tensor] = [:]
            for key in unclaimed where key.hasPrefix(prefix) { taken[String(key.dropFirst(prefix.count))] = tensors[key] }
            for key in taken.keys { unclaimed.remove(prefix + key) }
            return taken
        }
        func restore(_ what: String, _ body: () throws -> Void) throws {
            do { try body() } catch let error as ModuleError { throw fail("\(what): \(error.description)") }
        }
        for part in parts {
            let optimizerPrefix = optimizerPrefix(part)
            let optimizerTensors = take(prefix: optimizerPrefix)
            let optimizerMetadata = Dictionary(uniqueKeysWithValues: metadata.compactMap { key, value in
                key.hasPrefix(optimizerPrefix) ? (String(key.dropFirst(optimizerPrefix.count)), value) : nil
            })
            guard !optimizerMetadata.isEmpty else { throw fail("holds no optimizer state for part '\(part.name)'") }
            try restore("optimizer of '\(part.name)'") { try part.optimizer.load(tensors: optimizerTensors, metadata: optimizerMetadata) }
        }
        for hook in hooks {
            let keys = hook.checkpointTensors.keys
            let missing = keys.filter { !unclaimed.contains($0) }.sorted()
            guard missing.isEmpty else { throw fail("lacks the hook tensors \(missing.prefix(5).joined(separator: ", ")) (was it trained without this hook?)") }
            var saved: [String: Tensor] = [:]
            for key in keys {
                saved[key] = tensors[key]
                unclaimed.remove(key)
            }
            try restore("hook") { try hook.restore(saved) }
        }
        for (name, generator) in generators.sorted(by: { $0.key < $1.key }) {
            let key = "generator.\(name)"
            guard let state = tensors[key], unclaimed.remove(key) != nil else { throw fail("has no state of the generator '\(name)'") }
            do { try generator.setState(state) } catch { throw fail("generator '\(name)': \(error)") }
        }
        let stateDict = take(prefix: "model.")
        try restore("model") { try module.load(stateDict: stateDict, strict: true) }
        if let unexpected = unclaimed.sorted().first {
            throw fail("holds the unexpected tensor '\(unexpected)'\(unclaimed.count > 1 ? " and \(unclaimed.count - 1) more" : "") (another model or training setup?)")
        }
        return (step, metadata[Self.stateKey])
    }
}
