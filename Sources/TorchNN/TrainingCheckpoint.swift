import Foundation
import Torch

/// Everything a training run needs to resume exactly, in one safetensors file: the model state
/// dict under `model.<key>`, optimizer state under `optimizer.<key>` (its metadata under
/// `optimizer.<name>` metadata keys), the EMA shadow under `ema.<key>`, generator states under
/// `generator.<name>` (uint8), and as metadata the `step`, the schedule state as JSON
/// (`schedule`) and the caller's own strings (model configuration, preprocessing statistics).
public struct TrainingCheckpoint: Equatable, Sendable {
    /// Completed training steps when the checkpoint was written.
    public var step: Int
    /// The JSON of the schedule / plateau state passed to ``save(to:step:model:optimizer:ema:generators:scheduleState:metadata:)``.
    public var scheduleState: String?
    /// The caller's metadata, as saved.
    public var metadata: [String: String]

    /// Decodes ``scheduleState`` as `T`; nil when none was saved.
    public func decodeScheduleState<T: Decodable>(_ type: T.Type = T.self) throws -> T? {
        guard let scheduleState else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(scheduleState.utf8))
    }

    static let stepKey = "step"
    static let scheduleKey = "schedule"
    static let optimizerPrefix = "optimizer."

    static func isReserved(_ key: String) -> Bool {
        key == stepKey || key == scheduleKey || key.hasPrefix(optimizerPrefix)
    }

    /// Writes the checkpoint atomically (a temporary file, then a rename; see ``Safetensors/save(_:metadata:to:)``).
    /// Throws `TorchError.invalidArgument` when `metadata` uses a reserved key (`step`, `schedule`, `optimizer.…`)
    /// or `scheduleState` cannot be encoded as JSON.
    public static func save(
        to url: URL, step: Int, model: Module, optimizer: Optimizer, ema: EMA? = nil,
        generators: [String: Generator] = [:], scheduleState: (any Encodable)? = nil, metadata: [String: String] = [:]
    ) throws {
        if let clash = metadata.keys.sorted().first(where: isReserved) {
            throw TorchError.invalidArgument(
                "checkpoint \(url.path): metadata key '\(clash)' is reserved (step, schedule, optimizer.…); rename it")
        }
        var tensors: [String: Tensor] = [:]
        for (key, t) in model.stateDict() { tensors["model.\(key)"] = t }
        let (optimizerTensors, optimizerMetadata) = optimizer.stateDict()
        for (key, t) in optimizerTensors { tensors[optimizerPrefix + key] = t }
        for (key, t) in ema?.shadow ?? [:] { tensors["ema.\(key)"] = t }
        for (name, generator) in generators { tensors["generator.\(name)"] = try generator.state() }

        var allMetadata = metadata
        allMetadata[stepKey] = String(step)
        for (key, value) in optimizerMetadata { allMetadata[optimizerPrefix + key] = value }
        if let scheduleState {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            do {
                allMetadata[scheduleKey] = String(decoding: try encoder.encode(scheduleState), as: UTF8.self)
            } catch {
                throw TorchError.invalidArgument("checkpoint \(url.path): the schedule state cannot be written as JSON (\(error))")
            }
        }
        try Safetensors.save(tensors, metadata: allMetadata, to: url)
    }

    /// Restores a checkpoint into existing objects: the model strictly (``Module/load(stateDict:strict:)``),
    /// the optimizer, the EMA shadow and the generators' states. The parts must match what was saved
    /// (same EMA presence, same generator names). Throws `ModuleError.incompatibleState` naming the
    /// file and what does not match; objects restored before the failing part keep their new values.
    @discardableResult
    public static func load(
        from url: URL, model: Module, optimizer: Optimizer, ema: EMA? = nil, generators: [String: Generator] = [:]
    ) throws -> TrainingCheckpoint {
        let path = url.path
        func fail(_ what: String) -> ModuleError { .incompatibleState("checkpoint \(path): \(what)") }
        let (tensors, allMetadata) = try Safetensors.load(url)
        guard let step = allMetadata[stepKey].flatMap(Int.init) else {
            throw fail("has no 'step' metadata; it is not a training checkpoint")
        }
        var groups: [String: [String: Tensor]] = [:]
        for (key, t) in tensors {
            guard let dot = key.firstIndex(of: "."), ["model", "optimizer", "ema", "generator"].contains(String(key[..<dot])) else {
                throw fail("unexpected tensor '\(key)'")
            }
            groups[String(key[..<dot]), default: [:]][String(key[key.index(after: dot)...])] = t
        }
        let savedGenerators = groups["generator"] ?? [:]
        guard Set(savedGenerators.keys) == Set(generators.keys) else {
            throw fail("holds generators [\(savedGenerators.keys.sorted().joined(separator: ", "))] "
                + "but [\(generators.keys.sorted().joined(separator: ", "))] were passed to restore")
        }
        let savedEMA = groups["ema"] ?? [:]
        guard (ema?.shadow.isEmpty ?? true) == savedEMA.isEmpty else {
            throw fail(ema == nil ? "holds an EMA shadow but no EMA was passed to restore" : "holds no EMA shadow to restore")
        }
        let optimizerMetadata = Dictionary(uniqueKeysWithValues: allMetadata.compactMap { key, value in
            key.hasPrefix(optimizerPrefix) ? (String(key.dropFirst(optimizerPrefix.count)), value) : nil
        })
        func restore(_ part: String, _ body: () throws -> Void) throws {
            do { try body() } catch let error as ModuleError { throw fail("\(part): \(error.description)") }
        }
        try restore("model") { try model.load(stateDict: groups["model"] ?? [:], strict: true) }
        try restore("optimizer") { try optimizer.load(tensors: groups["optimizer"] ?? [:], metadata: optimizerMetadata) }
        if let ema { try restore("EMA") { try ema.load(savedEMA) } }
        for (name, state) in savedGenerators {
            do {
                try generators[name]?.setState(state)
            } catch {
                throw fail("generator '\(name)': \(error)")
            }
        }
        return TrainingCheckpoint(
            step: step, scheduleState: allMetadata[scheduleKey], metadata: allMetadata.filter { !isReserved($0.key) })
    }
}
