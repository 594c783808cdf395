import ArgumentParser
import CaloData
import CaloModels
import Foundation
import Torch

/// `caloforge train`: trains any registered generator on a CaloChallenge file.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a shower generator on CaloChallenge showers (resumable).",
        discussion: """
            The configuration (--config) names the model family and everything about it, including \
            its training policies: optimizer (adam, adamW, adamax, radam, sgd), learning-rate schedule \
            (constant, cosine with warm-up, plateau on the training or validation loss), stopping rule \
            and gradient clipping. CaloDiffusion (Amram & Pedro): the U-Net with its preprocessing and \
            cosine DDPM schedule, trained as in the paper by default (Adam; ReduceLROnPlateau on the \
            training loss; stop when the validation loss stays above the training loss). Built-in \
            configurations: ds1-photons, ds1-pions, ds2, ds3 (the paper's hyper-parameters) and cpu-demo \
            (a small ds2 U-Net). Two-stage models (the default): a flow-matching energy model of the layer \
            energies, then a small patch transformer for the shower shape, each stage with its own \
            optimizer and schedule; two-stage-ds2 is the recipe of the built-in model (docs/model.md), \
            two-stage-ds3, two-stage-ds1-photons and two-stage-ds1-pions the other geometries. Write your \
            own configuration by saving one with --print-config and editing it.

            The run folder receives config.json (the resolved configuration), last.safetensors (full \
            training state, rewritten every checkpointEverySteps steps and at each epoch end), \
            best.safetensors (weights of the best validation loss: give it to `caloforge sample \
            --model`) and metrics.jsonl (one line per epoch).

            A folder that holds a run is continued with --resume or replaced with --overwrite, \
            never mixed; --resume refuses a changed --seed, --batch-size or --val-fraction, naming \
            each, before anything is written. While a run trains, its folder is locked (.lock, naming \
            the process), so a second run into it stops at once. Every value of --data is checked \
            first (finite, positive incident energies; finite, non-negative voxels).

            Long runs: --time-limit stops cleanly after that many minutes with a checkpoint, and so \
            does Ctrl-C (or SIGTERM) after the current step; \
            `--resume` continues exactly where it stopped (same weights, optimizer, data order and \
            noise), e.g. across several 10-minute jobs on a GPU machine.

            Example:
              caloforge synth --geometry ds2 --count 20000 --seed 1 -o train.h5
              caloforge train --config two-stage-ds2 --data train.h5 --out runs/demo --time-limit 150
              caloforge train --out runs/demo --data train.h5 --resume
            """
    )

    @Option(help: ArgumentHelp("Built-in configuration name or JSON file (default: the run folder's config.json with --resume, else two-stage-ds2).", valueName: "name|file"))
    var config: String?

    @Option(help: ArgumentHelp("Training showers: a CaloChallenge HDF5 file.", valueName: "file.h5"))
    var data: String

    @Option(help: ArgumentHelp("Run folder for checkpoints, metrics and the resolved configuration.", valueName: "folder"))
    var out: String

    @Option(help: "Share of the events held out for validation (overrides the configuration).")
    var valFraction: Double?

    @Option(help: "Stop after this many epochs in total (overrides the configuration).")
    var epochs: Int?

    @Option(help: "Stop after this many optimizer steps in total.")
    var maxSteps: Int?

    @Option(help: "Batch size (overrides the configuration).")
    var batchSize: Int?

    @Option(help: "Learning rate (overrides the configuration).")
    var learningRate: Double?

    @Option(help: "Seed of initialisation, split, shuffling and noise (overrides the configuration).")
    var seed: UInt64?

    @Option(help: ArgumentHelp("Stop cleanly after this many minutes, with a checkpoint to --resume from.", valueName: "minutes"))
    var timeLimit: Double?

    @Flag(help: "Continue the run in --out from its last.safetensors.")
    var resume = false

    @Flag(help: "Replace the run in --out (its config.json, checkpoints and metrics.jsonl) with a new one.")
    var overwrite = false

    @Flag(help: "Print the resolved configuration as JSON and exit.")
    var printConfig = false

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        if let valFraction, !(valFraction > 0 && valFraction < 1) {
            throw ValidationError("--val-fraction must lie strictly between 0 and 1 (e.g. 0.2); got \(valFraction).")
        }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1; got \(epochs).") }
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1; got \(maxSteps).") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1; got \(batchSize).") }
        if let learningRate, !(learningRate > 0) { throw ValidationError("--learning-rate must be positive; got \(learningRate).") }
        if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be a positive number of minutes; got \(timeLimit).") }
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other; pick one.") }
    }

    /// Training showers a model fits its data-dependent preprocessing on (the first ones of the split).
    static let preparationShowers = 20_000

    /// The files of a run, as the trainer writes them.
    static let runFiles = ["config.json", "last.safetensors", "best.safetensors", "metrics.jsonl"]

    /// Settings a resumed run must keep, with the option that sets each.
    static let resumeFixed: [(option: String, value: @Sendable (TrainingConfig) -> String)] = [
        ("--seed", { "\($0.seed)" }), ("--batch-size", { "\($0.batchSize)" }),
        ("--val-fraction", { "\($0.validationFraction)" }),
    ]

    /// Refuses what a resume cannot continue, before anything is written: no checkpoint to resume
    /// from, or options that change the split, the data order or the noise of the saved run.
    func checkResumable(_ config: any GeneratorConfiguration, runDirectory: URL) throws {
        guard FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent("last.safetensors").path) else {
            throw CommandError.nothingToResume(folder: out)
        }
        let saved = runDirectory.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: saved.path) else { return }
        let run = try GeneratorRegistry.configuration(saved.path).training
        let changes = Self.resumeFixed.compactMap { option, value in
            value(run) == value(config.training) ? nil : "\(option) was \(value(run)) in the run, now \(value(config.training))"
        }
        if !changes.isEmpty { throw CommandError.resumeChanges(folder: out, changes: changes) }
    }

    func resolvedConfig(runDirectory: URL) throws -> any GeneratorConfiguration {
        let saved = runDirectory.appendingPathComponent("config.json")
        var resolved: any GeneratorConfiguration
        if resume, FileManager.default.fileExists(atPath: saved.path) {
            resolved = try GeneratorRegistry.configuration(saved.path)
            if let config, !(try GeneratorRegistry.configuration(config).describesSameModel(as: resolved)) {
                throw CommandError.configurationChanged(config: config, folder: out)
            }
        } else {
            resolved = try GeneratorRegistry.configuration(config ?? "two-stage-ds2")
        }
        if let valFraction { resolved.training.validationFraction = valFraction }
        if let epochs { resolved.training.maxEpochs = epochs }
        if let maxSteps { resolved.training.maxSteps = maxSteps }
        if let batchSize { resolved.training.batchSize = batchSize }
        if let learningRate { resolved.training.learningRate = learningRate }
        if let seed { resolved.training.seed = seed }
        try resolved.validate()
        return resolved
    }

    func run() throws {
        let runDirectory = URL(fileURLWithPath: out)
        let config = try resolvedConfig(runDirectory: runDirectory)
        if printConfig {
            print(try config.prettyJSON())
            return
        }
        // Every check before anything is written: the run folder, the resume, every value of the data.
        try OutputPath.checkFolder(out, option: "--out")
        let existing = Self.runFiles.filter { FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent($0).path) }
        if resume {
            try checkResumable(config, runDirectory: runDirectory)
        } else if !existing.isEmpty && !overwrite {
            throw CommandError.existingRun(folder: out, files: existing)
        }
        let device = try deviceOptions.resolve()
        try OutputPath.checkInputFile(data, option: "--data", hint: "a CaloChallenge HDF5 file")
        let training = config.training
        let model = try GeneratorRegistry.makeGenerator(config, device: device, generator: try Generator(seed: training.seed))
        let reader = try CaloChallengeReader(path: data, geometry: model.geometry)
        FileHandle.standardError.write(Data("checking every value of \(data)\n".utf8))
        try reader.validateValues()
        let lock = try OutputLock.acquire(folder: out, option: "--out", command: "train")
        defer { lock.release() }
        if overwrite {
            for file in existing { try FileManager.default.removeItem(at: runDirectory.appendingPathComponent(file)) }
        }

        let loader = try ShowerLoader(
            reader: reader, trainingFraction: 1 - training.validationFraction,
            splitGenerator: try Generator(seed: training.seed &+ 1), shuffleGenerator: try Generator(seed: training.seed &+ 4),
            batchSize: training.batchSize, device: device)
        let trainer = try Trainer(model: model, loader: loader, config: training, runDirectory: runDirectory,
                                  logger: CommandLogging.logger("train"))
        if resume {
            try trainer.resume()
        } else {
            try model.prepare(training: try loader.trainingSample(maxCount: Self.preparationShowers))
        }
        // Written once the resume has succeeded, so a refused resume leaves the run as it was.
        try Data((try config.prettyJSON() + "\n").utf8).write(to: runDirectory.appendingPathComponent("config.json"), options: .atomic)
        let totalSteps = training.maxSteps ?? training.maxEpochs * loader.batchesPerEpoch
        FileHandle.standardError.write(Data("""
            training \(config.name) (\(model.modelKind), \(model.parameterCount) parameters) on \(loader.trainingIndices.count) showers \
            (\(loader.validationIndices.count) for validation) from \(data), device \(device), \(loader.batchesPerEpoch) steps per epoch

            """.utf8))
        let progress = ProgressBar(total: totalSteps, label: "steps", initial: trainer.step)
        var lastLoss = Double.nan
        Interruption.shared.install(message: "stopping after this step and writing the checkpoint")
        trainer.shouldStop = { Interruption.shared.isRequested }
        let outcome = try trainer.run(timeLimit: timeLimit.map { $0 * 60 }) { update in
            switch update.phase {
            case .training:
                lastLoss = lastLoss.isNaN ? update.loss : 0.98 * lastLoss + 0.02 * update.loss
                progress.update(update.step, detail: String(format: "epoch %d  loss %.4f  lr %.1e", update.epoch, lastLoss, update.learningRate))
            case .validation:
                progress.update(update.step, detail: String(format: "epoch %d  validation loss %.4f", update.epoch, update.loss))
            case .checkpoint:
                break
            }
        }
        progress.close()
        print("""
            \(outcome.rawValue) after \(trainer.step) steps.
            weights for sampling: \(trainer.bestCheckpoint.path)
            resume with:          caloforge train --data \(data) --out \(out) --resume
            """)
        // Like any interrupted Unix command (128 + SIGINT), so `train && sample` does not go on.
        if outcome == .interrupted { throw ExitCode(130) }
    }
}
