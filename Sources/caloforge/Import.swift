import ArgumentParser
import CaloModels
import Foundation
import Torch

/// `caloforge import`: reference weights → a CaloForge checkpoint that `sample`, `evaluate` and `bench` use
/// like one from `caloforge train`.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn reference model weights (.pth, .pt or .safetensors) into a CaloForge checkpoint.",
        discussion: """
            Reads the state dict of a model trained with the reference code — CaloDiffusion: \
            github.com/OzAmram/CaloDiffusionPaper (paper) or github.com/OzAmram/CaloDiffusion (newest \
            package) — as saved by PyTorch (`torch.save`, .pth/.pt: read by LibTorch itself; only \
            tensors and plain containers are accepted) or as safetensors. The network configuration is \
            recognised from the tensor names and shapes (--dataset overrides it); every missing, \
            unexpected and mis-shaped key is listed at once, with the configurations the file does fit.

            The output is an ordinary CaloForge checkpoint: the weights, the model configuration, the \
            reference preprocessing, and its provenance (source file, key layout, date, CaloForge \
            version). `caloforge inspect OUTPUT` shows it; `caloforge sample --model OUTPUT` samples it.

            Example:
              caloforge import --from ds2.pth -o ds2-model.safetensors
              caloforge sample --model ds2-model.safetensors --count 100 --energies log-uniform:1GeV:1TeV -o gen.h5

            See docs/import.md.
            """
    )

    @Option(name: .customLong("from"), help: ArgumentHelp("The reference weights: a .pth/.pt file of torch.save or a .safetensors file.", valueName: "file"))
    var source: String

    @Option(help: ArgumentHelp("The configuration the weights were trained with (default: recognised from the file): ds1-photons, ds1-pions, ds2, ds3, cpu-demo, ….", valueName: "name"))
    var dataset: String?

    @Option(help: ArgumentHelp("The geometry, when the shapes cannot tell (ds2 and ds3 networks without GLaM have the same shapes): ds1-photons, ds1-pions, ds2, ds3.", valueName: "name"))
    var geometry: String?

    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: ArgumentHelp("Where to write the CaloForge checkpoint.", valueName: "file"))
    var output: String

    func run() throws {
        try OutputPath.checkInputFile(source, option: "--from", hint: "the reference weights as a .pth, .pt or .safetensors file")
        try OutputPath.checkFile(output, option: "-o/--output")
        try OutputPath.checkDistinct(output: output, option: "-o/--output", input: source, inputOption: "--from")
        try Engine.checkVersion()
        let sourceURL = URL(fileURLWithPath: source)
        let imported = try GeneratorRegistry.importReference(
            GeneratorEntry.ImportRequest(url: sourceURL, configuration: dataset, geometry: geometry))
        let generator = imported.generator
        try generator.save(
            to: URL(fileURLWithPath: output),
            provenance: CheckpointProvenance(producer: "import", source: sourceURL.standardizedFileURL.path, details: imported.details))
        let details = imported.details.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("imported \(generator.modelKind) \(generator.configuration.name) (\(generator.parameterCount) parameters; \(details)) from \(source) to \(output)")
    }
}
