import Foundation

/// Errors of the CaloData module. Each names the file, dataset or value, and what to do.
public enum CaloDataError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A binning XML could not be parsed or is inconsistent.
    case invalidGeometry(source: String, reason: String)
    /// A geometry name that is not built in.
    case unknownGeometry(String)
    /// No file exists at the path to be read.
    case fileNotFound(path: String)
    /// The file exists but is not an HDF5 file.
    case notHDF5(path: String)
    /// An HDF5 call failed; `detail` is HDF5's own error stack, shortened.
    case hdf5(path: String, dataset: String?, operation: String, detail: String)
    /// A dataset is missing from a file.
    case missingDataset(path: String, dataset: String)
    /// A dataset has the wrong rank or shape.
    case wrongShape(path: String, dataset: String, expected: String, actual: [Int])
    /// The voxel count fits no built-in geometry, or not the one asked for.
    case geometryMismatch(path: String, voxels: Int, expected: String)
    /// Values that are NaN, infinite or negative.
    case invalidValues(path: String, dataset: String, row: Int, value: Double, problem: String)
    /// A file that holds no events.
    case emptyFile(path: String)
    /// A scan of the file was stopped by the caller (Ctrl-C) before it finished.
    case interrupted(path: String)
    /// A value a writer refuses to store (NaN, infinite, or a non-positive incident energy); the
    /// file stays `<path>.partial`, marked incomplete.
    case invalidOutput(path: String, dataset: String, row: Int, value: Double)
    /// `incident_energies` and `showers` hold different numbers of events.
    case eventCountMismatch(path: String, energies: Int, showers: Int)
    /// A tensor handed to a transform or loader has the wrong shape for the operation or geometry.
    case wrongTensorShape(operation: String, expected: String, actual: [Int])
    /// Saved transform statistics (checkpoint metadata) are missing a key or hold an unreadable value.
    case invalidStatistics(transform: String, key: String, reason: String)
    /// Any other invalid argument or input, worded as an instruction.
    case invalidArgument(String)
    /// An incident-energy spectrum string that does not parse.
    case invalidSpectrum(String, reason: String)
    /// A particle the synthetic shower generator does not model.
    case unsupportedParticle(String, reason: String)

    public var description: String {
        switch self {
        case let .invalidGeometry(source, reason):
            return "binning \(source): \(reason)"
        case let .unknownGeometry(name):
            return "unknown geometry '\(name)'; built-in geometries are \(Geometry.builtInNames.joined(separator: ", ")), or give a binning XML file"
        case let .fileNotFound(path):
            return "\(path) does not exist; check the path"
        case let .notHDF5(path):
            return "\(path) is not an HDF5 file; CaloChallenge files are HDF5 files holding 'incident_energies' and 'showers'"
        case let .hdf5(path, dataset, operation, detail):
            let where_ = dataset.map { " dataset '\($0)'" } ?? ""
            return "HDF5 \(operation) failed for \(path)\(where_): \(detail)"
        case let .missingDataset(path, dataset):
            return "\(path) has no dataset '\(dataset)'; a CaloChallenge file needs 'incident_energies' (N, 1) and 'showers' (N, voxels)"
        case let .wrongShape(path, dataset, expected, actual):
            return "\(path): dataset '\(dataset)' has shape \(actual), expected \(expected)"
        case let .geometryMismatch(path, voxels, expected):
            return "\(path): dataset 'showers' has \(voxels) voxels per event, expected \(expected)"
        case let .invalidValues(path, dataset, row, value, problem):
            return "\(path): dataset '\(dataset)' row \(row) holds \(value) (\(problem)); fix or drop such events before use"
        case let .emptyFile(path):
            return "\(path) holds no events; give a file with at least one shower"
        case let .interrupted(path):
            return "interrupted while checking \(path); nothing was written"
        case let .invalidOutput(path, dataset, row, value):
            return "refusing to write \(value) to dataset '\(dataset)' row \(row) of \(path); the events written so far stay in \(path).partial, marked incomplete"
        case let .eventCountMismatch(path, energies, showers):
            return "\(path): 'incident_energies' has \(energies) events but 'showers' has \(showers); the file is inconsistent"
        case let .wrongTensorShape(operation, expected, actual):
            return "\(operation): tensor has shape \(actual), expected \(expected)"
        case let .invalidStatistics(transform, key, reason):
            return "cannot restore transform '\(transform)': statistic '\(key)' \(reason); the metadata is incomplete or was written by another version"
        case let .invalidArgument(message):
            return message
        case let .invalidSpectrum(text, reason):
            return "cannot read the energy spectrum '\(text)': \(reason)"
        case let .unsupportedParticle(particle, reason):
            return "\(particle) showers are not simulated: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
