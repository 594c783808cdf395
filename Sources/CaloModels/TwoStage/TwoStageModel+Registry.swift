import Foundation

extension TwoStageModel {
    /// The two-stage model in the ``GeneratorRegistry``.
    public static let registryEntry = GeneratorEntry(
        modelKind: modelKind,
        summary: "two-stage flow matching: layer energies given E_inc, then the layer-normalised shape given both",
        builtInConfigurations: { TwoStageConfig.builtIn },
        decodeConfiguration: { data in
            let config = try JSONDecoder().decode(TwoStageConfig.self, from: data)
            try config.validate()
            return config
        },
        create: { configuration, device, generator in
            guard let config = configuration as? TwoStageConfig else {
                throw ModelError.invalidConfig("a '\(configuration.modelKind)' configuration cannot build a two-stage model")
            }
            return try TwoStageModel(config: config, device: device, generator: generator)
        },
        load: { checkpoint, device in try TwoStageModel(checkpoint: checkpoint, device: device) }
    )
}
