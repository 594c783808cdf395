import Foundation
import Torch

extension LayeredCaloDiffusionModel {
    /// The layered CaloDiffusion model in the ``GeneratorRegistry``. It has no built-in configurations (it is
    /// made by `caloforge import`, not trained) and no importer of its own: CaloDiffusion's importer reads the
    /// reference file and hands layer-conditioned networks to ``imported(_:request:)``.
    public static let registryEntry = GeneratorEntry(
        modelKind: modelKind,
        summary:
            "newest CaloDiffusion, two-stage (LayerDiffusion): layer energies, then the layer-conditioned U-Net "
            + "(import and sample only)",
        builtInConfigurations: { [] },
        decodeConfiguration: { data in
            let config = try JSONDecoder().decode(LayeredCaloDiffusionConfig.self, from: data)
            try config.validate()
            return config
        },
        create: { configuration, device, generator in
            guard let config = configuration as? LayeredCaloDiffusionConfig else {
                throw ModelError.invalidConfig(
                    "a '\(configuration.modelKind)' configuration cannot build a layered CaloDiffusion model")
            }
            return try LayeredCaloDiffusionModel(config: config, device: device, generator: generator)
        },
        load: { checkpoint, device in try LayeredCaloDiffusionModel(checkpoint: checkpoint, device: device) }
    )

    /// A generator around a reference file read by ``CaloDiffusionCheckpoint/importReference(from:config:geometry:)``
    /// whose U-Net is layer-conditioned: its layer model (``ReferenceImport/layerModel``) and its U-Net, with
    /// ``LayeredCaloDiffusionConfig/reference(name:network:layerNetwork:)`` as the configuration.
    /// - Throws: ``ModelError/missingLayerModel(path:network:energyInputs:)`` for a file without `layer_model.…`;
    ///   ``ModelError/layerNetworkMismatch(key:expectedShape:actualShape:otherProblems:)``;
    ///   ``ModelError/invalidConfig(_:)`` when the networks' layer counts disagree with each other or the geometry.
    public static func imported(_ reference: ReferenceImport, request: GeneratorEntry.ImportRequest) throws
        -> GeneratorEntry.Imported
    {
        guard !reference.layerModel.isEmpty else {
            throw ModelError.missingLayerModel(
                path: request.url.path, network: reference.config.name, energyInputs: reference.config.energyInputs)
        }
        let layerNetwork = try reference.layerDiffusionNetwork()
        let config = try LayeredCaloDiffusionConfig.reference(
            name: reference.config.name, network: reference.config, layerNetwork: layerNetwork.config)
        var weights = reference.network.stateDict()
        for (key, tensor) in layerNetwork.stateDict() { weights["layer_model." + key] = tensor }
        let model = try LayeredCaloDiffusionModel(
            config: config, weights: weights, path: request.url.path, device: request.device)
        var details = [
            "configuration": reference.config.name, "layout": reference.layout.name, "file": reference.fileFormat,
            "recognised": reference.configurationChoice.rawValue,
            "layer_model":
                "N = \(layerNetwork.config.layerCount), width \(layerNetwork.config.hiddenWidth), "
                + "\(layerNetwork.parameterCount) parameters",
        ]
        if let key = reference.stateDictKey { details["state_dict"] = key }
        return GeneratorEntry.Imported(generator: model, details: details)
    }
}
