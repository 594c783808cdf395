import CaloData
import Foundation

/// Errors of the command layer: paths, folders and sizes checked before any work starts. Each names
/// the option and value at fault and what to do.
enum CommandError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// An option that names a path was given an empty string.
    case emptyPath(option: String)
    /// A file is to be written where a folder stands.
    case outputIsFolder(option: String, path: String)
    /// A folder is to be written (or created) where a file stands.
    case outputIsFile(option: String, path: String)
    /// A file written beside the output (`OUTPUT.json`, `OUTPUT.partial`) would land on a folder.
    case companionIsFolder(option: String, path: String, companion: String)
    /// The folder that would hold the output does not exist.
    case folderMissing(option: String, path: String, folder: String)
    /// The folder that would hold the output (or the output folder itself) cannot be written.
    case notWritable(option: String, path: String, folder: String)
    /// The output is one of the command's inputs, which writing it would destroy.
    case outputIsInput(option: String, path: String, inputOption: String)
    /// An input file option names a folder.
    case inputIsFolder(option: String, path: String, hint: String)
    /// Another caloforge process holds the output folder's lock.
    case outputLocked(folder: String, holder: String)
    /// `train --out` names a folder holding a run, without `--resume` or `--overwrite`.
    case existingRun(folder: String, files: [String])
    /// `train --resume` with settings that a resumed run cannot change; each entry names one.
    case resumeChanges(folder: String, changes: [String])
    /// `--resume` where there is nothing to resume.
    case nothingToResume(folder: String)
    /// More showers asked for than the energies file holds.
    case countExceedsFile(count: Int, path: String, events: Int)
    /// An incident energy from a file outside the range the models accept (the range of `--energies`).
    case energyOutOfRange(path: String, row: Int, value: Double, range: ClosedRange<Double>)
    /// A size option whose run needs more memory or disk than this machine has, or more than a file can index.
    case impossibleSize(option: String, value: Int, need: String)
    /// `--geometry` names a binning XML file (a value ending in `.xml` or holding a `/`) that does not exist.
    case geometryFileMissing(path: String)
    /// The geometry in use has no official readout threshold and `--threshold` was not given.
    case noOfficialThreshold(geometry: String)
    /// `evaluate --out` holds the saved work of an interrupted evaluation, and neither `--resume` nor `--restart` was given.
    case unfinishedEvaluation(folder: String, partial: String)
    /// An evaluation finished with some metrics failed; the finished ones are kept in `partial`.
    case metricsFailed(failed: [String], partial: String)
    /// `synth` was asked to fill a pion binning without choosing an electromagnetic particle.
    case pionGeometryWithoutParticle(geometry: String)
    /// The synthetic generator produced NaN, which is a bug.
    case generatorProducedNaN(geometry: String, seed: UInt64)
    /// `--model builtin`, but the shipped checkpoint is in none of the places searched.
    case builtInModelMissing(relativePath: String)
    /// An input file option names a file that does not exist.
    case inputMissing(option: String, path: String, hint: String)
    /// `train --resume --config` naming another model than the run's.
    case configurationChanged(config: String, folder: String)

    var description: String {
        switch self {
        case let .emptyPath(option):
            return "\(option) is empty; give a path"
        case let .outputIsFolder(option, path):
            return "\(option) \(path) is a folder; give a file name inside it, such as \(Self.joined(path, "output.h5"))"
        case let .outputIsFile(option, path):
            return "\(option) \(path) is a file; give a folder (it is created if missing)"
        case let .companionIsFolder(option, path, companion):
            return "\(option) \(path): \(companion) is a folder, but the command writes a file there; remove or rename that folder, or choose another output name"
        case let .folderMissing(option, path, folder):
            return "\(option) \(path): folder \(folder) does not exist; create it first"
        case let .notWritable(option, path, folder):
            return "\(option) \(path): \(folder) is not writable; fix its permissions or choose another location"
        case let .outputIsInput(option, path, inputOption):
            return "\(option) \(path) is also the \(inputOption) file, which writing it would destroy; choose another output file"
        case let .inputIsFolder(option, path, hint):
            return "\(option) \(path) is a folder; give the file itself (\(hint))"
        case let .outputLocked(folder, holder):
            return "\(folder) is in use by another caloforge run (\(holder)); wait for it to finish, or choose another folder"
        case let .existingRun(folder, files):
            return "\(folder) already holds a training run (\(files.joined(separator: ", "))); pass --resume to continue it, --overwrite to replace it, or choose another --out"
        case let .resumeChanges(folder, changes):
            return "cannot resume the run in \(folder) with changed settings: \(changes.joined(separator: "; ")); drop those options to resume it, or start a new run in another --out"
        case let .nothingToResume(folder):
            return "--resume: \(folder) holds no run to resume (no last.safetensors); start the run without --resume"
        case let .countExceedsFile(count, path, events):
            return "--count \(count) asks for more showers than the \(events) incident energies in \(path); drop --count to use all \(events), or give a larger file"
        case let .energyOutOfRange(path, row, value, range):
            return "\(path): dataset 'incident_energies' row \(row) holds \(value) MeV, outside the \(Self.energy(range.lowerBound)) … \(Self.energy(range.upperBound)) the models accept (the range of --energies); drop such events"
        case let .impossibleSize(option, value, need):
            return "\(option) \(value) is impossible here: \(need); lower \(option)"
        case let .geometryFileMissing(path):
            return "--geometry \(path): binning file does not exist; give a built-in geometry (\(Geometry.builtInNames.joined(separator: ", "))) or the path of a binning XML"
        case let .noOfficialThreshold(geometry):
            return "geometry '\(geometry)' has no official readout threshold; pass --threshold in MeV"
        case let .unfinishedEvaluation(folder, partial):
            return "--out \(folder) holds an unfinished evaluation (\(partial)); pass --resume to continue it or --restart to discard it and start again"
        case let .metricsFailed(failed, partial):
            let names = failed.isEmpty ? "some metrics" : failed.joined(separator: ", ")
            return "\(names) failed; see the warnings above and metrics.json. The finished metrics are kept in \(partial): fix the cause and rerun with --resume to compute only the failed ones"
        case let .pionGeometryWithoutParticle(geometry):
            return "--geometry \(geometry) is a pion binning, and pions are not simulated; pass --particle electron or --particle photon to fill it with electromagnetic showers"
        case let .generatorProducedNaN(geometry, seed):
            return "the synthetic generator produced NaN (\(geometry), seed \(seed)); please report this with the command line"
        case let .builtInModelMissing(relativePath):
            return "the built-in model \(relativePath) was not found; run from the repository folder or pass --model FILE"
        case let .inputMissing(option, path, hint):
            return "\(option) \(path) does not exist; give \(hint)"
        case let .configurationChanged(config, folder):
            return "--config \(config) describes another model than the run in \(folder); drop --config to resume it, or start a new run in another --out"
        }
    }

    var errorDescription: String? { description }

    private static func joined(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    private static func energy(_ mev: Double) -> String {
        for (unit, factor) in [("TeV", 1e6), ("GeV", 1e3)] where mev >= factor { return String(format: "%g", mev / factor) + unit }
        return String(format: "%g", mev) + "MeV"
    }
}
