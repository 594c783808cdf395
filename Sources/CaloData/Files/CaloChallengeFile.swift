import Foundation

/// Reads a CaloChallenge HDF5 file (spec/calochallenge.md §1.1): `incident_energies` `(N, 1)` and
/// `showers` `(N, voxels)`, in MeV, float32 or float64, read by event ranges so that large files
/// stream. Opening validates shapes and the geometry; ``validateValues(allowingNegativeVoxels:shouldStop:progress:)``
/// scans every value (CaloChallengeReader+Validation.swift).
public final class CaloChallengeReader {
    public static let energiesKey = "incident_energies"
    public static let showersKey = "showers"

    public let path: String
    public let geometry: Geometry
    /// Events in the file.
    public let eventCount: Int
    let file: HDF5File
    let energies: HDF5Dataset
    let showers: HDF5Dataset

    /// Opens and checks a file. With `geometry` nil, the geometry is detected from the voxel count.
    public init(path: String, geometry expected: Geometry? = nil) throws {
        self.path = path
        file = try HDF5File(path, mode: .readOnly)
        energies = try file.dataset(Self.energiesKey)
        showers = try file.dataset(Self.showersKey)
        let energyShape = try energies.shape
        let showerShape = try showers.shape
        guard energyShape.count == 2, energyShape[1] == 1 else {
            throw CaloDataError.wrongShape(path: path, dataset: Self.energiesKey, expected: "(N, 1)", actual: energyShape)
        }
        guard showerShape.count == 2 else {
            throw CaloDataError.wrongShape(path: path, dataset: Self.showersKey, expected: "(N, voxels)", actual: showerShape)
        }
        guard energyShape[0] == showerShape[0] else {
            throw CaloDataError.eventCountMismatch(path: path, energies: energyShape[0], showers: showerShape[0])
        }
        for dataset in [energies, showers] where dataset.elementType == .other {
            throw CaloDataError.invalidArgument("\(path): dataset '\(dataset.name)' is not float32 or float64")
        }
        let voxels = showerShape[1]
        if let expected {
            guard expected.voxelCount == voxels else {
                throw CaloDataError.geometryMismatch(path: path, voxels: voxels, expected: "\(expected.voxelCount) for geometry \(expected.name)")
            }
            geometry = expected
        } else {
            guard let detected = Geometry.detect(voxels: voxels) else {
                throw CaloDataError.geometryMismatch(
                    path: path, voxels: voxels,
                    expected: "368 (ds1-photons), 533 (ds1-pions), 6480 (ds2) or 40500 (ds3); pass --geometry with a binning XML for other detectors")
            }
            geometry = detected
        }
        eventCount = energyShape[0]
    }

    /// Whether the file was left by an interrupted ``CaloChallengeWriter`` (attribute `complete` = "false").
    public var isComplete: Bool { (try? file.attribute("complete")) != "false" }

    /// Incident energies (MeV) of a range of events.
    public func incidentEnergies(_ events: Range<Int>) throws -> [Double] {
        try energies.read(rows: events, as: Double.self)
    }

    /// Showers of a range of events, row-major `[events, voxels]`, MeV.
    public func showers(_ events: Range<Int>) throws -> [Float] {
        try showers.read(rows: events, as: Float.self)
    }
}

/// Writes a CaloChallenge file batch by batch, atomically: events go to `<path>.partial`, which
/// carries the attributes `complete` = "false" and `events` = the count written so far (flushed
/// after every batch, so an interrupted run leaves a valid file that says how many events it
/// holds); ``finish()`` marks it complete and renames it to `path`. Without `finish()` the target
/// path is never touched.
public final class CaloChallengeWriter {
    public let path: String
    public let partialPath: String
    public let geometry: Geometry
    public private(set) var eventCount = 0
    private var file: HDF5File?
    private var energies: HDF5Dataset?
    private var showers: HDF5Dataset?

    public init(path: String, geometry: Geometry, gzipLevel: Int = 4) throws {
        self.path = path
        self.partialPath = path + ".partial"
        self.geometry = geometry
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory) else {
            throw CaloDataError.invalidArgument("cannot write \(path): folder \(directory) does not exist")
        }
        let file = try HDF5File(partialPath, mode: .create)
        energies = try file.createDataset(CaloChallengeReader.energiesKey, columns: 1, chunkRows: 4096, gzipLevel: gzipLevel)
        showers = try file.createDataset(CaloChallengeReader.showersKey, columns: geometry.voxelCount, gzipLevel: gzipLevel)
        try file.setAttribute("complete", "false")
        try file.setAttribute("events", "0")
        try file.setAttribute("geometry", geometry.name)
        try file.flush()
        self.file = file
    }

    /// Appends events: `incidentEnergies` (MeV, one per event) and `showers` row-major `[events, voxels]` (MeV).
    ///
    /// - Throws: ``CaloDataError/invalidOutput(path:dataset:row:value:)`` for a NaN or infinite value or
    ///   a non-positive incident energy, before anything of the batch is written: a file that holds
    ///   such a value is never marked complete.
    public func append(incidentEnergies: [Float], showers values: [Float]) throws {
        guard let file, let energies, let showers else {
            throw CaloDataError.invalidArgument("\(path): append after finish()")
        }
        guard values.count == incidentEnergies.count * geometry.voxelCount else {
            throw CaloDataError.invalidArgument(
                "append to \(path): \(incidentEnergies.count) energies need \(incidentEnergies.count * geometry.voxelCount) voxel values, got \(values.count)")
        }
        for (offset, energy) in incidentEnergies.enumerated() where !(energy.isFinite && energy > 0) {
            throw CaloDataError.invalidOutput(
                path: path, dataset: CaloChallengeReader.energiesKey, row: eventCount + offset, value: Double(energy))
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw CaloDataError.invalidOutput(
                path: path, dataset: CaloChallengeReader.showersKey, row: eventCount + bad / geometry.voxelCount,
                value: Double(values[bad]))
        }
        try energies.append(incidentEnergies)
        try showers.append(values)
        eventCount += incidentEnergies.count
        try file.setAttribute("events", String(eventCount))
        try file.flush()
    }

    /// Marks the file complete and moves it into place (replacing an existing file at `path`).
    public func finish() throws {
        guard let file else { return }
        try file.setAttribute("complete", "true")
        try file.flush()
        energies = nil
        showers = nil
        self.file = nil
        if rename(partialPath, path) != 0 {
            throw CaloDataError.invalidArgument("cannot move \(partialPath) to \(path): \(String(cString: strerror(errno)))")
        }
    }
}

extension CaloChallengeReader {
    /// Reads a whole file into memory (for small files and tests).
    public func readAll() throws -> (incidentEnergies: [Double], showers: [Float]) {
        (try incidentEnergies(0..<eventCount), try showers(0..<eventCount))
    }
}
