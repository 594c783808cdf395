import ArgumentParser
import CaloData
import CaloModels
import Diffusion
import Foundation
import Torch

/// `caloforge sample`: generates showers from a trained model into a CaloChallenge file.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate showers from a trained model into a CaloChallenge HDF5 file.",
        discussion: """
            Works with any CaloForge checkpoint (from `caloforge train`, `import` or `distill`); the \
            model kind is read from the file. Incident energies come from --energies (a spectrum, as \
            for `caloforge synth`) or from --energies-from (the incident energies of a reference file, \
            in order: the CaloChallenge way to compare like with like). Each batch runs the model's \
            sampler, then undoes the preprocessing and zeroes voxels below the model's minimum energy. \
            Output is written batch by batch to OUTPUT.partial and moved into place when complete; the \
            resolved settings (sampler with every knob, steps, network evaluations per shower, seed, \
            checkpoint hash) go to OUTPUT.json.

            Samplers (--sampler), their knobs and network evaluations per run of N steps:
            \(SamplerCatalog.helpText)
            A knob given to a sampler that does not take it is refused. `caloforge bench sample` \
            measures time and network evaluations per shower.

            The same --seed, --batch-size and sampler settings give the same showers.

            Everything is checked before the first shower: the output path, the model (a weight \
            that is NaN or infinite is refused, naming the tensor), --steps, the energies of \
            --energies-from (finite, positive, within 100MeV … 10TeV like --energies, at least \
            --count of them) and the disk and memory the run needs. Ctrl-C (or SIGTERM) stops after \
            the current batch, leaving the showers written so far in OUTPUT.partial, marked \
            incomplete, with exit status 130. A batch holding a NaN or infinite value is never \
            written, so OUTPUT is only ever complete and finite.

            Example:
              caloforge sample --model runs/demo/best.safetensors --count 1000 --energies-from heldout.h5 -o gen.h5
              caloforge sample --model builtin --count 100 --energies log-uniform:1GeV:1TeV --sampler heun --steps 6 -o gen.h5
            """
    )

    @Option(help: ArgumentHelp("Model checkpoint (best.safetensors of a run, or from caloforge import), or 'builtin' for models/two-stage-ds2.safetensors (the built-in two-stage model, docs/model.md).", valueName: "file"))
    var model: String = "builtin"

    @Option(help: "Number of showers (default: all energies of --energies-from).")
    var count: Int?

    @Option(help: ArgumentHelp("Incident-energy spectrum: log-uniform:MIN:MAX, fixed:E, ds1.", valueName: "spectrum"))
    var energies: String?

    @Option(help: ArgumentHelp("Take the incident energies of this CaloChallenge file, in order.", valueName: "file.h5"))
    var energiesFrom: String?

    @Option(help: "Showers generated together.")
    var batchSize: Int = 100

    @OptionGroup(title: "Sampler") var sampling: SamplingOptions

    @Option(help: "Seed of the noise and of the energy spectrum.")
    var seed: UInt64 = 1

    @OptionGroup var outputOptions: ShowerOutputOptions
    var output: String { outputOptions.output }

    @OptionGroup var deviceOptions: DeviceOptions

    @OptionGroup(title: "Precision") var precisionOptions: PrecisionOptions

    func validate() throws {
        if energies != nil && energiesFrom != nil { throw ValidationError("Give either --energies or --energies-from, not both.") }
        if energiesFrom == nil && count == nil {
            throw ValidationError("Give --count with --energies, or --energies-from FILE.h5.")
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1; got \(count).") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1; got \(batchSize).") }
    }

    func run() throws {
        // Every check before any work: the output path, the model, the steps, the energies and the size.
        try outputOptions.check()
        let checkpoint = try BuiltInModel.resolve(model)
        try OutputPath.checkDistinct(output: output, option: "-o/--output", input: energiesFrom, inputOption: "--energies-from")
        try OutputPath.checkDistinct(output: output, option: "-o/--output", input: checkpoint, inputOption: "--model")
        let device = try deviceOptions.resolve()
        let generatorModel = try GeneratorRegistry.load(from: URL(fileURLWithPath: checkpoint), device: device)
        try precisionOptions.apply(to: generatorModel.module)
        let settings = sampling.settings(modelDefault: generatorModel.defaultSampler)
        try generatorModel.checkSampling(settings)
        var energies = try energySource()
        try ShowerBudget(
            count: energies.count, voxels: generatorModel.geometry.voxelCount, batchSize: batchSize,
            heldBytes: energies.heldBytes
        ).check(output: output)

        Interruption.shared.install(message: "stopping after this batch; the showers written so far stay in \(output).partial")
        let writer = try CaloChallengeWriter(path: output, geometry: generatorModel.geometry)
        let generator = try Generator(seed: seed, device: device)
        let progress = ProgressBar(total: energies.count, label: "showers")
        let start = ProgressBar.now()
        var done = 0
        var evaluations = 0
        defer { progress.close() }
        while done < energies.count {
            if Interruption.shared.isRequested {
                progress.close()
                FileHandle.standardError.write(Data("""
                    interrupted after \(done) of \(energies.count) showers: they stay in \(writer.partialPath), marked incomplete; \
                    \(output) was not written

                    """.utf8))
                throw ExitCode(130)
            }
            let slice = energies.next(Swift.min(batchSize, energies.count - done))
            let generated = try precisionOptions.run(on: device) {
                try generatorModel.sample(
                    incidentEnergies: try Tensor(slice.map(Float.init), shape: [slice.count, 1]), sampler: settings, generator: generator)
            }
            evaluations = generated.networkEvaluations
            try writer.append(
                incidentEnergies: slice.map(Float.init), showers: try generated.showers.to(dtype: .float32).toArray(Float.self))
            done += slice.count
            progress.update(done)
        }
        try writer.finish()
        let seconds = ProgressBar.now() - start
        let record = SampleRecord(
            model: checkpoint, modelKind: generatorModel.modelKind, modelHash: try fileHash(checkpoint), count: energies.count,
            energies: energiesFrom.map { "from \($0)" } ?? (self.energies ?? "log-uniform:1GeV:1TeV"), seed: seed,
            sampler: try settings.resolved(), networkEvaluationsPerShower: evaluations, batchSize: batchSize, device: device.description,
            precision: precisionOptions.label,
            libtorch: Engine.compiledVersion, caloforge: CaloForgeVersion.string, seconds: (seconds * 100).rounded() / 100)
        try JSONOutput.write(record, to: output + ".json")
        print(String(format: "wrote %d showers to %@ in %.1f s (%.1f ms per shower, %d network evaluations per shower); settings in %@.json",
                     energies.count, output, seconds, seconds / Double(energies.count) * 1000, evaluations, output))
    }

    /// The incident energies to sample: those of --energies-from, checked (finite, positive, within
    /// the range --energies accepts, at least --count of them), or a stream from the spectrum.
    func energySource() throws -> SampleEnergies {
        guard let energiesFrom else {
            let spectrum = try IncidentSpectrum(parsing: energies ?? "log-uniform:1GeV:1TeV")
            // validate() makes sure that --count is given without --energies-from.
            let total = count ?? 0
            return .stream(IncidentEnergyStream(spectrum: spectrum, count: total, seed: seed))
        }
        try OutputPath.checkInputFile(energiesFrom, option: "--energies-from", hint: "a CaloChallenge HDF5 file")
        let reader = try CaloChallengeReader(path: energiesFrom)
        try reader.validateIncidentEnergies()
        if let count, count > reader.eventCount {
            throw CommandError.countExceedsFile(count: count, path: energiesFrom, events: reader.eventCount)
        }
        let values = try reader.incidentEnergies(0..<(count ?? reader.eventCount))
        let range = IncidentSpectrum.validRange
        if let row = values.firstIndex(where: { !range.contains($0) }) {
            throw CommandError.energyOutOfRange(path: energiesFrom, row: row, value: values[row], range: range)
        }
        return .file(values, position: 0)
    }
}

/// What `sample` writes beside its output (OUTPUT.json): everything needed to reproduce the showers.
struct SampleRecord: Codable {
    var model: String
    var modelKind: String
    var modelHash: String
    var count: Int
    var energies: String
    var seed: UInt64
    /// The sampler with every setting it ran with.
    var sampler: SamplerSettings
    var networkEvaluationsPerShower: Int
    var batchSize: Int
    var device: String
    /// `fp32`, or `bf16` (autocast), with `+channels-last` when set.
    var precision: String
    var libtorch: String
    var caloforge: String
    var seconds: Double
}

/// Where `sample` takes its incident energies from, handed out a batch at a time.
enum SampleEnergies {
    case file([Double], position: Int)
    case stream(IncidentEnergyStream)

    /// Energies in the whole run.
    var count: Int {
        switch self {
        case let .file(values, _): return values.count
        case let .stream(stream): return stream.count
        }
    }

    /// Bytes kept for the whole run.
    var heldBytes: Int {
        switch self {
        case let .file(values, _): return values.count * 8
        case let .stream(stream): return IncidentEnergyStream.heldBytes(spectrum: stream.spectrum, count: stream.count)
        }
    }

    /// The next `n` energies (MeV).
    mutating func next(_ n: Int) -> [Double] {
        switch self {
        case let .file(values, position):
            let end = Swift.min(position + n, values.count)
            self = .file(values, position: end)
            return Array(values[position..<end])
        case var .stream(stream):
            let batch = stream.next(n)
            self = .stream(stream)
            return batch
        }
    }
}

/// FNV-1a 64 of a file's bytes, recorded beside outputs to identify the checkpoint used.
func fileHash(_ path: String) throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    data.withUnsafeBytes { bytes in
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }
    return String(format: "%016llx", hash)
}

/// The model shipped in the repository (trained on built-in synthetic ds2 showers, docs/model.md).
enum BuiltInModel {
    static let relativePath = "models/two-stage-ds2.safetensors"

    /// `builtin` → the shipped checkpoint (searched from the working directory and beside the binary); else the path itself.
    static func resolve(_ name: String) throws -> String {
        guard name == "builtin" else {
            guard FileManager.default.fileExists(atPath: name) else {
                throw CommandError.inputMissing(
                    option: "--model", path: name, hint: "a checkpoint written by caloforge train or import, or 'builtin'")
            }
            try OutputPath.checkInputFile(
                name, option: "--model", hint: "a checkpoint such as \(URL(fileURLWithPath: name).appendingPathComponent("best.safetensors").path)")
            return name
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relativePath)]
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.appendingPathComponent(relativePath))
            folder = folder.deletingLastPathComponent()
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw CommandError.builtInModelMissing(relativePath: relativePath)
        }
        return found.path
    }
}
