import Foundation
import Torch
import TorchNN

/// CaloForge checkpoints of the CaloDiffusion network, and the import of reference checkpoints
/// (`CaloDiffusionCheckpoint+Reference.swift`).
///
/// A checkpoint is one safetensors file: the state dict under its reference keys (`model.…`, `NN_embed.…`)
/// and, as metadata, `format` (``format``), `config` (the ``CaloDiffusionConfig`` as JSON), `source` (where
/// the weights came from), `date` (ISO 8601) and whatever the caller adds (the package version).
public enum CaloDiffusionCheckpoint {
    /// The `format` metadata value of CaloDiffusion checkpoints.
    public static let format = "caloforge.calodiffusion.v1"

    /// A reference `CaloDiffu.state_dict()` of the paper repository renamed to our keys (``ReferenceKeyLayout/paper``).
    public static func renamingReferenceKeys(_ tensors: [String: Tensor]) -> [String: Tensor] {
        ReferenceKeyLayout.paper.renaming(tensors)
    }

    /// Builds the network of `config` and loads a reference checkpoint into it strictly: the network of
    /// ``importReference(from:config:geometry:)`` with `config` given (kept for `caloforge import` until it
    /// calls the three-argument form).
    public static func importReference(from url: URL, config: CaloDiffusionConfig) throws -> CaloDiffusionUNet {
        let imported: ReferenceImport = try importReference(from: url, config: config, geometry: nil)
        return imported.network
    }

    /// Writes `model` as a CaloForge checkpoint (atomically). `source` says where the weights came from.
    public static func save(
        _ model: CaloDiffusionUNet, to url: URL, source: String, date: Date = Date(), metadata: [String: String] = [:]
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var all = metadata
        all["format"] = format
        all["config"] = String(decoding: try encoder.encode(model.config), as: UTF8.self)
        all["source"] = source
        all["date"] = ISO8601DateFormatter().string(from: date)
        try Safetensors.save(model.stateDict(), metadata: all, to: url)
    }

    /// Reads a CaloForge checkpoint: builds the network from its `config` metadata and loads its tensors strictly.
    public static func load(from url: URL) throws -> (model: CaloDiffusionUNet, metadata: [String: String]) {
        let (tensors, metadata) = try readTensors(url)
        guard metadata["format"] == format, let json = metadata["config"] else {
            throw ModelError.notACheckpoint(
                path: url.path,
                reason: "its metadata lacks format '\(format)' or a config; import reference weights with `caloforge import`")
        }
        let config: CaloDiffusionConfig
        do {
            config = try JSONDecoder().decode(CaloDiffusionConfig.self, from: Data(json.utf8))
        } catch {
            throw ModelError.notACheckpoint(path: url.path, reason: "its config metadata cannot be read (\(error))")
        }
        let model = try CaloDiffusionUNet(config: config, generator: Generator(seed: 0))
        do {
            try model.load(stateDict: tensors, strict: true)
        } catch let error as ModuleError {
            throw ModelError.checkpointMismatch(
                path: url.path, preset: config.name, mismatch: mismatchText(error), matchingPresets: [])
        }
        return (model, metadata)
    }

    private static func readTensors(_ url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ModelError.fileNotFound(path: url.path) }
        let file: (tensors: [String: Tensor], metadata: [String: String])
        do {
            file = try Safetensors.load(url)
        } catch TorchError.safetensors(_, let message) {
            throw ModelError.unreadableFile(path: url.path, reason: message)
        }
        try CheckpointValues.checkFinite(file.tensors, path: url.path)
        return file
    }

    static func mismatchText(_ error: ModuleError) -> String {
        guard case let .stateDictMismatch(missing, unexpected, shapes) = error else { return error.description }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("\(missing.count) missing keys: " + missing.joined(separator: ", ")) }
        if !unexpected.isEmpty { parts.append("\(unexpected.count) unexpected keys: " + unexpected.joined(separator: ", ")) }
        if !shapes.isEmpty { parts.append("\(shapes.count) shape mismatches: " + shapes.joined(separator: "; ")) }
        return parts.joined(separator: "; ")
    }

    /// Built-in configurations whose keys and shapes equal those of `tensors`.
    static func presets(fitting tensors: [String: Tensor]) throws -> [String] {
        let shapes = tensors.mapValues(\.shape)
        return try CaloDiffusionConfig.presets.filter { config in
            let model = try CaloDiffusionUNet(config: config, generator: Generator(seed: 0))
            return model.stateDict().mapValues(\.shape) == shapes
        }.map(\.name)
    }
}
