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
        importReference: { request in try importReference(request) }
    )

    /// A generator around reference weights (`CaloDiffu.state_dict()` of the paper repository or the newest
    /// one, from `.pth`/`.pt` or safetensors): the network of the configuration the request names (else the one
    /// recognised from the file's keys and shapes, ``CaloDiffusionCheckpoint/importReference(from:config:geometry:)``)
    /// is loaded strictly; the preprocessing is the reference's (fixed constants, §A.2) and the rest of the model
    /// configuration is the built-in one of that network. A layer-conditioned U-Net (the newest repository's
    /// `LayerDiffusion`, N + 2 energy inputs) goes with its layer model to ``LayeredCaloDiffusionModel/imported(_:request:)``.
    public static func importReference(_ request: GeneratorEntry.ImportRequest) throws -> GeneratorEntry.Imported {
        let config = try request.configuration.map { try CaloDiffusionConfig.preset(named: $0) }
        let imported = try CaloDiffusionCheckpoint.importReference(from: request.url, config: config, geometry: request.geometry)
        if imported.config.energyInputs > 1 {
            return try LayeredCaloDiffusionModel.imported(imported, request: request)
        }
        let modelConfig = try CaloDiffusionModelConfig.forReferenceNetwork(imported.config)
        let pipeline = try TransformPipeline.caloDiffusion(for: try imported.config.resolvedGeometry())
        let model = try CaloDiffusionModel(
            config: modelConfig, pipeline: pipeline, weights: imported.network.stateDict(), path: request.url.path,
            device: request.device)
        var details = [
            "configuration": imported.config.name, "layout": imported.layout.name, "file": imported.fileFormat,
            "recognised": imported.configurationChoice.rawValue,
        ]
        if let key = imported.stateDictKey { details["state_dict"] = key }
        return GeneratorEntry.Imported(generator: model, details: details)
    }
}

extension CaloDiffusionModelConfig {
    /// The built-in model configuration for a reference network: the one of the same name (the paper's
    /// presets), or, for a network inferred from shapes, the one of its geometry with `network` as its network.
    ///
    /// - Throws: ``ModelError/unsupportedReferenceFormulation(network:reason:)`` for the newest repository's
    ///   networks: the layer-conditioned ones are ``LayeredCaloDiffusionModel``s, not CaloDiffusion configurations;
    ///   the others CaloForge can read but not yet sample.
    public static func forReferenceNetwork(_ network: CaloDiffusionConfig) throws -> CaloDiffusionModelConfig {
        if CaloDiffusionConfig.newestPresets.contains(where: { $0.name == network.name }) || network.energyInputs > 1 {
            throw ModelError.unsupportedReferenceFormulation(
                network: network.name,
                reason: network.energyInputs > 1
                    ? "it is conditioned on the \(network.energyInputs - 2) layer energies of its LayerDiffusion energy model: `caloforge import` makes a '\(LayeredCaloDiffusionModel.modelKind)' model of it with that layer model"
                    : "it was trained with the newest repository's EDM-preconditioned objective, which CaloForge's CaloDiffusion configurations do not express yet")
        }
        let geometry = try network.resolvedGeometry().name
        let base = builtIn.first(where: { $0.network.name == network.name })
            ?? builtIn.first(where: { (try? $0.network.resolvedGeometry().name) == geometry && $0.name == geometry })
        guard var config = base else {
            throw ModelError.invalidConfig(
                "no built-in CaloDiffusion model configuration fits the network '\(network.name)' (geometry \(geometry)); known: \(builtInNames.joined(separator: ", "))")
        }
        config.network = network
        return config
    }
}
