import Foundation
import Torch

/// One model family in the ``GeneratorRegistry``: how to find its configurations, build it, load it from a
/// checkpoint and (optionally) import reference weights.
public struct GeneratorEntry: Sendable {
    /// What an import produced: the generator and details for its provenance (key layout, configuration used…).
    public struct Imported {
        public var generator: any ShowerGenerator
        public var details: [String: String]

        public init(generator: any ShowerGenerator, details: [String: String]) {
            self.generator = generator
            self.details = details
        }
    }

    /// The model kind (checkpoint `model` metadata).
    public let modelKind: String
    /// One sentence for `--help` and `inspect`.
    public let summary: String
    /// The built-in configurations, by name.
    public let builtInConfigurations: @Sendable () -> [any GeneratorConfiguration]
    /// Decodes (and validates) a configuration of this kind from JSON.
    public let decodeConfiguration: @Sendable (Data) throws -> any GeneratorConfiguration
    /// A new generator with fresh weights drawn from the generator, on the device.
    public let create: @Sendable (any GeneratorConfiguration, Device, Generator) throws -> any ShowerGenerator
    /// A generator from a checkpoint of this kind, on the device.
    public let load: @Sendable (ModelCheckpoint, Device) throws -> any ShowerGenerator
    /// What to import: the reference weights (a `.pth`, `.pt` or `.safetensors` file of the reference code),
    /// optionally the configuration and geometry they were trained for (else recognised from the file).
    public struct ImportRequest: Sendable {
        public var url: URL
        public var configuration: String?
        public var geometry: String?
        public var device: Device

        public init(url: URL, configuration: String? = nil, geometry: String? = nil, device: Device = .cpu) {
            self.url = url
            self.configuration = configuration
            self.geometry = geometry
            self.device = device
        }
    }

    /// Reads reference weights; nil when the family has no reference implementation to import from.
    public let importReference: (@Sendable (ImportRequest) throws -> Imported)?

    public init(
        modelKind: String, summary: String, builtInConfigurations: @escaping @Sendable () -> [any GeneratorConfiguration],
        decodeConfiguration: @escaping @Sendable (Data) throws -> any GeneratorConfiguration,
        create: @escaping @Sendable (any GeneratorConfiguration, Device, Generator) throws -> any ShowerGenerator,
        load: @escaping @Sendable (ModelCheckpoint, Device) throws -> any ShowerGenerator,
        importReference: (@Sendable (ImportRequest) throws -> Imported)? = nil
    ) {
        self.modelKind = modelKind
        self.summary = summary
        self.builtInConfigurations = builtInConfigurations
        self.decodeConfiguration = decodeConfiguration
        self.create = create
        self.load = load
        self.importReference = importReference
    }
}
