import Foundation

/// Everything that defines one generator: its networks, its diffusion process, sampling defaults and training
/// settings. Stored as JSON in every checkpoint (`config` metadata) and in a run folder's `config.json`.
public protocol GeneratorConfiguration: Codable, Sendable {
    /// The model kind this configuration builds: the checkpoint's `model` metadata and the registry key.
    static var modelKind: String { get }
    /// The configuration's name (a built-in name such as `cpu-demo`, or the user's).
    var name: String { get }
    /// Optimisation settings; `caloforge train` overrides some of them from the command line.
    var training: TrainingConfig { get set }
    /// Throws ``ModelError/invalidConfig(_:)`` naming the first field out of range.
    func validate() throws
}

extension GeneratorConfiguration {
    /// The model kind of this configuration's type.
    public var modelKind: String { Self.modelKind }

    /// The configuration as pretty JSON with sorted keys.
    public func prettyJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Whether `other` builds the same model (same kind, same everything except the training settings), so a
    /// run can be resumed with it.
    public func describesSameModel(as other: any GeneratorConfiguration) -> Bool {
        guard let other = other as? Self else { return false }
        var (a, b) = (self, other)
        b.training = a.training
        a.training = b.training
        return (try? a.prettyJSON()) == (try? b.prettyJSON())
    }
}
