import ArgumentParser
import CaloModels
import Foundation
import Torch

/// `caloforge import`: a reference CaloDiffusion checkpoint (as safetensors) → a CaloForge checkpoint.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a reference CaloDiffusion checkpoint (safetensors) into a CaloForge checkpoint.",
        discussion: """
            Reads the state dict of a model trained with the reference code \
            (github.com/OzAmram/CaloDiffusionPaper), checks every key and shape against the CaloDiffusion \
            U-Net of --dataset (all mismatches are listed at once), and writes a CaloForge checkpoint: the \
            same tensors plus the model configuration, the source file and the date as metadata.

            The reference saves PyTorch .pth files. Turn one into safetensors first, with Python, torch \
            and safetensors (for example PYTHONPATH=.deps/python python3):

              import torch, safetensors.torch as st
              d = torch.load("ds2.pth", "cpu"); d = d.get("model_state_dict", d)
              st.save_file({k: v.contiguous() for k, v in d.items()}, "ds2.safetensors")

            and import it:

              caloforge import --from ds2.safetensors --dataset ds2 -o model.safetensors

            See docs/import.md.
            """
    )

    /// The built-in CaloDiffusion configurations.
    enum Dataset: String, CaseIterable, ExpressibleByArgument {
        case ds1Photons = "ds1-photons"
        case ds1Pions = "ds1-pions"
        case ds2
        case ds3
        case cpuDemo = "cpu-demo"
    }

    @Option(name: .customLong("from"), help: ArgumentHelp("The reference state dict as a .safetensors file.", valueName: "file"))
    var source: String

    @Option(help: "The dataset configuration the checkpoint was trained for.")
    var dataset: Dataset

    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: ArgumentHelp("Where to write the CaloForge checkpoint.", valueName: "file"))
    var output: String

    func validate() throws {
        if source.hasSuffix(".pth") || source.hasSuffix(".pt") {
            throw ValidationError(
                "--from takes a .safetensors file; convert the .pth checkpoint first (see `caloforge import --help` or docs/import.md)."
            )
        }
    }

    func run() throws {
        try OutputPath.checkInputFile(source, option: "--from", hint: "the reference state dict as a .safetensors file")
        try OutputPath.checkFile(output, option: "-o/--output")
        try OutputPath.checkDistinct(output: output, option: "-o/--output", input: source, inputOption: "--from")
        try Engine.checkVersion()
        let config = try CaloDiffusionConfig.preset(named: dataset.rawValue)
        let sourceURL = URL(fileURLWithPath: source)
        let model = try CaloDiffusionCheckpoint.importReference(from: sourceURL, config: config)
        let outputURL = URL(fileURLWithPath: output)
        try CaloDiffusionCheckpoint.save(
            model, to: outputURL, source: sourceURL.standardizedFileURL.path,
            metadata: ["caloforge_version": CaloForgeVersion.string])
        print(
            "imported \(model.stateDict().count) tensors (\(model.parameterCount) parameters, \(config.name)) from \(source) to \(output)"
        )
    }
}
