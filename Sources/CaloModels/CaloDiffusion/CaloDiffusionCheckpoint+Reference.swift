import Foundation
import Torch
import TorchNN

/// Import of reference checkpoints: `.pth`/`.pt` (torch.save, read by LibTorch) or `.safetensors`, bare or
/// nested state dicts, in either reference key layout (``ReferenceKeyLayout``), with the configuration
/// recognised from the keys and shapes.
extension CaloDiffusionCheckpoint {
    /// Entries of nested checkpoints that hold the state dict, in order of preference.
    static let stateDictEntries = ["model_state_dict", "state_dict", "model", "ema"]
    /// Geometries tried when the configuration is inferred from the tensor shapes.
    static let inferableGeometries = ["ds1-photons", "ds1-pions", "ds2", "ds3"]

    /// Reads a reference checkpoint and builds the network it holds.
    ///
    /// 1. The file is read by content: a zip archive (torch.save, `.pth`/`.pt`) through ``TorchPickle``,
    ///    anything else as safetensors.
    /// 2. In a nested checkpoint the state dict is the entry that holds `model.init_conv.…` (preferring
    ///    ``stateDictEntries``); optimizer state, epochs and the like are ignored.
    /// 3. A newest-repository `LayerDiffusion` state dict is split: `layer_model.…` (the layer-energy network)
    ///    goes to ``ReferenceImport/layerModel``, the duplicate `base_model.…` is dropped.
    /// 4. Keys are renamed by the detected ``ReferenceKeyLayout``.
    /// 5. With `config` given it is used as it is (strict load). Without, the built-in configuration whose
    ///    keys and shapes equal the file's is used (those of the layout's repository first); if none fits,
    ///    the configuration is read from the tensor shapes (widths, conditioning size, energy inputs, location
    ///    channels, attention, GLaM), on `geometry` when given, else on every built-in geometry that fits.
    ///
    /// Throws ``ModelError/fileNotFound(path:)``, `TorchError` for a torch.save file that is refused (a
    /// non-tensor object, an OrderedDict built with arguments, the legacy format), ``ModelError/unreadableFile(path:reason:)``,
    /// ``ModelError/checkpointMismatch(path:preset:mismatch:matchingPresets:)`` (every missing, unexpected and
    /// mis-shaped key, and the presets that do fit) and ``ModelError/ambiguousReference(path:candidates:)``.
    public static func importReference(
        from url: URL, config: CaloDiffusionConfig?, geometry: String?
    ) throws -> ReferenceImport {
        let (file, fileFormat) = try readReference(url)
        let (selected, stateDictKey) = selectingStateDict(file)
        let (stateDict, layerModel) = separatingLayerModel(selected)
        let layout = ReferenceKeyLayout.detect(stateDict.keys)
        let tensors = layout.renaming(stateDict)
        try CheckpointValues.checkFinite(tensors, path: url.path)

        let chosen: CaloDiffusionConfig
        let choice: ReferenceImport.ConfigurationChoice
        if let config {
            (chosen, choice) = (config, .given)
        } else if let preset = try fittingPresets(tensors, preferring: layout).first {
            (chosen, choice) = (preset, .preset)
        } else {
            let inferred = try inferredConfigs(tensors, geometries: geometry.map { [$0] } ?? inferableGeometries)
            if inferred.count > 1 {
                throw ModelError.ambiguousReference(path: url.path, candidates: inferred.map(\.geometry))
            }
            guard let only = inferred.first else {
                let closest = try closestPreset(tensors, preferring: layout)
                return try ReferenceImport(
                    network: loadStrictly(tensors, config: closest, path: url.path), layout: layout,
                    stateDictKey: stateDictKey, fileFormat: fileFormat, configurationChoice: .preset, layerModel: layerModel)
            }
            (chosen, choice) = (only, .inferred)
        }
        return ReferenceImport(
            network: try loadStrictly(tensors, config: chosen, path: url.path), layout: layout, stateDictKey: stateDictKey,
            fileFormat: fileFormat, configurationChoice: choice, layerModel: layerModel)
    }

    /// The file's tensors and its format (`torch.save` or `safetensors`), chosen by content.
    static func readReference(_ url: URL) throws -> (tensors: [String: Tensor], format: String) {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ModelError.fileNotFound(path: url.path) }
        if TorchPickle.isTorchSave(url) || ["pth", "pt"].contains(url.pathExtension.lowercased())
        {
            do {
                return (try TorchPickle.load(url), "torch.save")
            } catch TorchError.operationFailed(_, _, let message) {
                throw ModelError.unreadableTorchSave(path: url.path, reason: message)
            }
        }
        do {
            return (try Safetensors.load(url).tensors, "safetensors")
        } catch TorchError.safetensors(_, let message) {
            throw ModelError.unreadableFile(path: url.path, reason: message)
        }
    }

    /// The state dict inside a (possibly nested) checkpoint and the dotted entry that held it (nil at the top).
    /// The state dict is where the U-Net's `model.init_conv.…` (or `noise_predictor.init_conv.…`) keys are.
    static func selectingStateDict(_ tensors: [String: Tensor]) -> (tensors: [String: Tensor], key: String?) {
        var prefixes = Set<String>()
        for key in tensors.keys {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false)
            for index in parts.indices.dropLast()
            where (parts[index] == "model" || parts[index] == "noise_predictor") && parts[index + 1] == "init_conv" {
                prefixes.insert(parts[..<index].joined(separator: "."))
            }
        }
        guard !prefixes.contains(""), !prefixes.isEmpty else { return (tensors, nil) }
        let preferred = stateDictEntries.first(where: prefixes.contains)
        let prefix = preferred ?? prefixes.sorted { ($0.count, $0) < ($1.count, $1) }[0]
        var selected: [String: Tensor] = [:]
        for (key, tensor) in tensors where key.hasPrefix(prefix + ".") {
            selected[String(key.dropFirst(prefix.count + 1))] = tensor
        }
        return (selected, prefix)
    }

    /// Splits a state dict of the newest repository's `LayerDiffusion` (used by its layer-conditioned
    /// configurations): `layer_model.…` is the layer-energy network (returned without the prefix), and
    /// `base_model.…` repeats `model.…` (the same module under two attribute names; dropped when `model.…` is there).
    static func separatingLayerModel(_ tensors: [String: Tensor]) -> (network: [String: Tensor], layerModel: [String: Tensor]) {
        let hasModel = tensors.keys.contains { $0.hasPrefix("model.") }
        var network: [String: Tensor] = [:]
        var layerModel: [String: Tensor] = [:]
        for (key, tensor) in tensors {
            if key.hasPrefix("layer_model.") {
                layerModel[String(key.dropFirst("layer_model.".count))] = tensor
            } else if !(hasModel && key.hasPrefix("base_model.")) {
                network[key] = tensor
            }
        }
        return (network, layerModel)
    }

    /// Built-in configurations whose keys and shapes equal those of `tensors`, the layout's repository first.
    static func fittingPresets(_ tensors: [String: Tensor], preferring layout: ReferenceKeyLayout) throws
        -> [CaloDiffusionConfig]
    {
        let shapes = tensors.mapValues(\.shape)
        return try orderedPresets(preferring: layout).filter { try expectedShapes($0) == shapes }
    }

    /// The built-in configuration with the fewest missing, unexpected and mis-shaped keys.
    static func closestPreset(_ tensors: [String: Tensor], preferring layout: ReferenceKeyLayout) throws
        -> CaloDiffusionConfig
    {
        let shapes = tensors.mapValues(\.shape)
        var best = (config: CaloDiffusionConfig.ds2, problems: Int.max)
        for config in orderedPresets(preferring: layout) {
            let expected = try expectedShapes(config)
            let problems = Set(expected.keys).union(shapes.keys).filter { expected[$0] != shapes[$0] }.count
            if problems < best.problems { best = (config, problems) }
        }
        return best.config
    }

    static func orderedPresets(preferring layout: ReferenceKeyLayout) -> [CaloDiffusionConfig] {
        layout == .newest
            ? CaloDiffusionConfig.newestPresets + CaloDiffusionConfig.paperPresets
            : CaloDiffusionConfig.paperPresets + CaloDiffusionConfig.newestPresets
    }

    static func expectedShapes(_ config: CaloDiffusionConfig) throws -> [String: [Int]] {
        try CaloDiffusionUNet(config: config, generator: Generator(seed: 0)).stateDict().mapValues(\.shape)
    }

    /// Configurations read from the tensor shapes, one per geometry of `geometries` whose network then has
    /// exactly the file's keys and shapes. Widths come from `init_conv` and each encoder level's first
    /// convolution, the conditioning size from `time_mlp.5`, the energy inputs from `cond_mlp.1`, the location
    /// channels from `init_conv`'s input channels, attention and GLaM from the presence of their keys.
    /// GroupNorm groups (8) and layer compression (on) cannot be read from shapes; every reference
    /// configuration uses these values.
    static func inferredConfigs(_ tensors: [String: Tensor], geometries: [String]) throws -> [CaloDiffusionConfig] {
        let shapes = tensors.mapValues(\.shape)
        let isCylindrical = shapes["model.init_conv.conv.weight"] != nil
        let convolution = isCylindrical ? ".conv.weight" : ".weight"
        guard let initConv = shapes["model.init_conv" + convolution], initConv.count == 5,
            let time = shapes["model.time_mlp.5.weight"], time.count == 2,
            let energy = shapes["model.cond_mlp.1.weight"], energy.count == 2
        else { return [] }
        var layerSizes = [initConv[0]]
        while let level = shapes["model.downs.\(layerSizes.count - 1).0.block1.proj" + convolution], level.count == 5 {
            layerSizes.append(level[0])
        }
        let location = initConv[1] - 1
        guard (0...3).contains(location) else { return [] }
        let keys = shapes.keys
        var fitting: [CaloDiffusionConfig] = []
        for geometry in geometries {
            let config = CaloDiffusionConfig(
                name: "\(geometry)-inferred", geometry: geometry, layerSizes: layerSizes, conditionSize: 2 * time[0],
                isCylindrical: isCylindrical, compressesLayers: true,
                hasBlockAttention: keys.contains { $0.hasPrefix("model.downs_attn.") },
                hasMiddleAttention: keys.contains { $0.hasPrefix("model.mid_attn.") },
                usesGLaM: keys.contains { $0.hasPrefix("NN_embed.") }, usesRadialAndLayerChannels: location >= 2,
                usesAngularChannel: location % 2 == 1, energyInputs: energy[1])
            guard (try? config.validate()) != nil, let expected = try? expectedShapes(config), expected == shapes else {
                continue
            }
            fitting.append(config)
        }
        return fitting
    }

    static func loadStrictly(_ tensors: [String: Tensor], config: CaloDiffusionConfig, path: String) throws
        -> CaloDiffusionUNet
    {
        let model = try CaloDiffusionUNet(config: config, generator: Generator(seed: 0))
        do {
            try model.load(stateDict: tensors, strict: true)
        } catch let error as ModuleError {
            throw ModelError.checkpointMismatch(
                path: path, preset: config.name, mismatch: mismatchText(error), matchingPresets: try presets(fitting: tensors))
        }
        return model
    }
}
