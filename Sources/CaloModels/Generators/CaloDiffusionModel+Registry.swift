import CaloData
import Foundation
import Torch

extension CaloDiffusionModel {
    /// CaloDiffusion in the ``GeneratorRegistry``.
    public static let registryEntry = GeneratorEntry(
        modelKind: modelKind,
        summary: "CaloDiffusion (Amram & Pedro): DDPM U-Net with cylindrical convolutions and GLaM",
        builtInConfigurations: { CaloDiffusionModelConfig.builtIn },
        decodeConfiguration: { data in
            let config = try JSONDecoder().decode(CaloDiffusionModelConfig.self, from: data)
            try config.validate()
            return config
        },
        create: { configuration, device, generator in
            guard let config = configuration as? CaloDiffusionModelConfig else {
                throw ModelError.invalidConfig("a '\(configuration.modelKind)' configuration cannot build a CaloDiffusion model")
            }
            return try CaloDiffusionModel(config: config, device: device, generator: generator)
        },
        load: { checkpoint, device in try CaloDiffusionModel(checkpoint: checkpoint, device: device) },
        importReference: { url, configuration, device in try importReference(from: url, configuration: configuration, device: device) }
    )

    /// A generator around reference weights (`CaloDiffu.state_dict()` of the reference code): the network is
    /// loaded strictly with the configuration `configuration` names, or the one that fits the file's keys and
    /// shapes; the preprocessing is the reference's (fixed constants, §A.2) and the rest of the model
    /// configuration is the built-in one of that network.
    public static func importReference(from url: URL, configuration: String?, device: Device = .cpu) throws -> GeneratorEntry.Imported {
        let networkConfig: CaloDiffusionConfig
        if let configuration {
            networkConfig = try CaloDiffusionConfig.preset(named: configuration)
        } else {
            let tensors = CaloDiffusionCheckpoint.renamingReferenceKeys(try Safetensors.load(url).tensors)
            guard let name = try CaloDiffusionCheckpoint.presets(fitting: tensors).first else {
                // The strict load below lists every mismatch against the default network.
                return try importReference(from: url, configuration: "ds2", device: device)
            }
            networkConfig = try CaloDiffusionConfig.preset(named: name)
        }
        let network = try CaloDiffusionCheckpoint.importReference(from: url, config: networkConfig)
        let config = try CaloDiffusionModelConfig.forReferenceNetwork(network.config)
        let pipeline = try TransformPipeline.caloDiffusion(for: try network.config.resolvedGeometry())
        let model = try CaloDiffusionModel(
            config: config, pipeline: pipeline, weights: network.stateDict(), path: url.path, device: device)
        return GeneratorEntry.Imported(generator: model, details: ["configuration": network.config.name, "layout": "paper"])
    }
}

extension CaloDiffusionModelConfig {
    /// The built-in model configuration whose network has `network`'s name, with `network` as its network.
    ///
    /// - Throws: ``ModelError/invalidConfig(_:)`` when no built-in model configuration has that name.
    public static func forReferenceNetwork(_ network: CaloDiffusionConfig) throws -> CaloDiffusionModelConfig {
        guard var config = builtIn.first(where: { $0.network.name == network.name }) else {
            throw ModelError.invalidConfig(
                "no built-in CaloDiffusion model configuration uses the network '\(network.name)' (known: \(builtInNames.joined(separator: ", ")))")
        }
        config.network = network
        return config
    }
}
