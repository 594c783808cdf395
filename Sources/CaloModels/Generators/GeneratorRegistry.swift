import Foundation
import Torch

/// Every model family CaloForge can train, sample, import and inspect, keyed by the checkpoint's model kind.
/// The commands go through it and never name a concrete model type; a new family adds one line to ``entries``.
public enum GeneratorRegistry {
    /// The registered families.
    public static let entries: [GeneratorEntry] = [
        CaloDiffusionModel.registryEntry,
        TwoStageModel.registryEntry,
        LayeredCaloDiffusionModel.registryEntry,
    ]

    /// The entry of a model kind.
    ///
    /// - Throws: ``ModelError/unknownModelKind(kind:known:)``.
    public static func entry(modelKind: String) throws -> GeneratorEntry {
        guard let entry = entries.first(where: { $0.modelKind == modelKind }) else {
            throw ModelError.unknownModelKind(kind: modelKind, known: entries.map(\.modelKind))
        }
        return entry
    }

    /// Every built-in configuration of every family.
    public static var builtInConfigurations: [any GeneratorConfiguration] { entries.flatMap { $0.builtInConfigurations() } }

    /// Names of the built-in configurations.
    public static var builtInConfigurationNames: [String] { builtInConfigurations.map(\.name) }

    /// A built-in configuration by name, or one read from a JSON file (any family whose configuration decodes it).
    ///
    /// - Throws: ``ModelError/invalidConfig(_:)`` naming the built-ins when `nameOrPath` is neither, or saying why
    ///   the file is not a configuration of any family.
    public static func configuration(_ nameOrPath: String) throws -> any GeneratorConfiguration {
        if let builtIn = builtInConfigurations.first(where: { $0.name == nameOrPath }) { return builtIn }
        guard FileManager.default.fileExists(atPath: nameOrPath) else {
            throw ModelError.invalidConfig(
                "'\(nameOrPath)' is neither a built-in configuration (\(builtInConfigurationNames.joined(separator: ", "))) nor an existing JSON file")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: nameOrPath)) } catch {
            throw ModelError.invalidConfig("\(nameOrPath) cannot be read: \(error.localizedDescription)")
        }
        var reasons: [String] = []
        for entry in entries {
            do { return try entry.decodeConfiguration(data) } catch let error as ModelError {
                // Decoded as this family, but a value is out of range: that is the user's error to see.
                if case .invalidConfig = error { throw error }
                reasons.append("\(entry.modelKind): \(error)")
            } catch {
                reasons.append("\(entry.modelKind): \(error)")
            }
        }
        throw ModelError.invalidConfig(
            "\(nameOrPath) is not a valid configuration of any model (\(reasons.joined(separator: "; "))); "
                + "start from `caloforge train --config NAME --print-config`")
    }

    /// A new generator of `configuration`'s family, weights drawn from `generator`.
    public static func makeGenerator(
        _ configuration: any GeneratorConfiguration, device: Device = .cpu, generator: Generator
    ) throws -> any ShowerGenerator {
        try entry(modelKind: configuration.modelKind).create(configuration, device, generator)
    }

    /// Loads any CaloForge checkpoint (sampling or training) onto `device`.
    public static func load(from url: URL, device: Device = .cpu) throws -> any ShowerGenerator {
        let checkpoint = try ModelCheckpoint.read(url)
        return try entry(modelKind: checkpoint.modelKind).load(checkpoint, device)
    }

    /// Imports reference weights with the family that has an importer (today: CaloDiffusion, the only family
    /// with a reference implementation to import from; it hands layer-conditioned networks with their layer
    /// model to ``LayeredCaloDiffusionModel``).
    public static func importReference(_ request: GeneratorEntry.ImportRequest) throws -> GeneratorEntry.Imported {
        guard let importer = entries.compactMap(\.importReference).first else {
            throw ModelError.noImporter(known: entries.map(\.modelKind))
        }
        return try importer(request)
    }
}
