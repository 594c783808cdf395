import ArgumentParser
import CaloData
import CaloModels
import Diffusion
import Foundation
import Torch

extension SamplerKind: ExpressibleByArgument {}

/// `caloforge sample`: generates showers from a trained model into a CaloChallenge file.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate showers from a trained model into a CaloChallenge HDF5 file.",
        discussion: """
            Incident energies come from --energies (a spectrum, as for `caloforge synth`) or from \
            --energies-from (the incident energies of a reference file, in order: the CaloChallenge \
            way to compare like with like). Each batch runs the reverse diffusion (--sampler:
            ddpm = CaloDiffusion's ancestral sampler, the default; ddim = deterministic, fewer steps; \
            euler/heun = probability-flow ODE), then undoes the preprocessing and zeroes voxels below \
            the model's minimum energy. Output is written batch by batch to OUTPUT.partial and moved \
            into place when complete; the resolved settings go to OUTPUT.json.

            The same --seed, --batch-size, --sampler and --steps give the same showers.

            Example:
              caloforge sample --model runs/demo/best.safetensors --count 1000 --energies-from heldout.h5 -o gen.h5
            """
    )

    @Option(help: ArgumentHelp("Model checkpoint (best.safetensors of a run, or from caloforge import), or 'builtin' for models/cpu-demo-ds2.safetensors.", valueName: "file"))
    var model: String = "builtin"

    @Option(help: "Number of showers (default: all energies of --energies-from).")
    var count: Int?

    @Option(help: ArgumentHelp("Incident-energy spectrum: log-uniform:MIN:MAX, fixed:E, ds1.", valueName: "spectrum"))
    var energies: String?

    @Option(help: ArgumentHelp("Take the incident energies of this CaloChallenge file, in order.", valueName: "file.h5"))
    var energiesFrom: String?

    @Option(help: "Showers generated together.")
    var batchSize: Int = 100

    @Option(help: "Sampling steps (default: the model's configuration).")
    var steps: Int?

    @Option(help: "Sampler.")
    var sampler: SamplerKind = .ddpm

    @Option(help: "Seed of the noise and of the energy spectrum.")
    var seed: UInt64 = 1

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Output HDF5 file.", valueName: "file.h5"))
    var output: String

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        if energies != nil && energiesFrom != nil { throw ValidationError("Give either --energies or --energies-from, not both.") }
        if energies == nil && energiesFrom == nil && count == nil {
            throw ValidationError("Give --count with --energies, or --energies-from FILE.h5.")
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1; got \(count).") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1; got \(batchSize).") }
        if let steps, steps < 2 { throw ValidationError("--steps must be at least 2; got \(steps).") }
    }

    func run() throws {
        let device = try deviceOptions.resolve()
        let checkpoint = try BuiltInModel.resolve(model)
        let generatorModel = try CaloDiffusionModel.load(from: URL(fileURLWithPath: checkpoint), device: device)
        var incident: [Double]
        if let energiesFrom {
            let reader = try CaloChallengeReader(path: energiesFrom)
            let n = Swift.min(count ?? reader.eventCount, reader.eventCount)
            incident = try reader.incidentEnergies(0..<n)
        } else {
            incident = try IncidentSpectrum(parsing: energies ?? "log-uniform:1GeV:1TeV").energies(count: count!, seed: seed)
        }
        let writer = try CaloChallengeWriter(path: output, geometry: generatorModel.geometry)
        let generator = try Generator(seed: seed, device: device)
        let progress = ProgressBar(total: incident.count, label: "showers")
        let start = ProgressBar.now()
        var done = 0
        defer { progress.close() }
        while done < incident.count {
            let slice = Array(incident[done..<Swift.min(done + batchSize, incident.count)])
            let showers = try generatorModel.sample(
                incidentEnergies: try Tensor(slice.map(Float.init), shape: [slice.count, 1]), sampler: sampler, steps: steps,
                generator: generator)
            try writer.append(incidentEnergies: slice.map(Float.init), showers: try showers.toArray(Float.self))
            done += slice.count
            progress.update(done)
        }
        try writer.finish()
        let seconds = ProgressBar.now() - start
        let record: [String: String] = [
            "model": checkpoint, "modelHash": try fileHash(checkpoint), "count": String(incident.count),
            "energies": energiesFrom.map { "from \($0)" } ?? (energies ?? "log-uniform:1GeV:1TeV"), "seed": String(seed),
            "sampler": sampler.rawValue, "steps": String(steps ?? generatorModel.config.samplingSteps),
            "batchSize": String(batchSize), "device": device.description, "libtorch": Engine.compiledVersion,
            "caloforge": CaloForgeVersion.string, "seconds": String(format: "%.2f", seconds),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(record).write(to: URL(fileURLWithPath: output + ".json"), options: .atomic)
        print(String(format: "wrote %d showers to %@ in %.1f s (%.1f ms per shower); settings in %@.json",
                     incident.count, output, seconds, seconds / Double(incident.count) * 1000, output))
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
    static let relativePath = "models/cpu-demo-ds2.safetensors"

    /// `builtin` → the shipped checkpoint (searched from the working directory and beside the binary); else the path itself.
    static func resolve(_ name: String) throws -> String {
        guard name == "builtin" else {
            guard FileManager.default.fileExists(atPath: name) else {
                throw ValidationError("--model \(name) does not exist; give a checkpoint written by caloforge train or import, or 'builtin'.")
            }
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
            throw ValidationError("the built-in model \(relativePath) was not found; run from the repository folder or pass --model FILE.")
        }
        return found.path
    }
}
