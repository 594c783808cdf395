import CaloData
import Foundation
import Testing

/// The built `caloforge` binary, next to the test runner in the build products folder.
var caloForgeBinary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("caloforge")
}

/// The repository root (for the built-in model).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A scratch folder removed when the test ends.
func withScratchFolder<T>(_ body: (URL) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-robust-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

/// Runs `caloforge` killed after `seconds` (status 137 then: a hang is a failure, not a stuck suite).
func runCaloForge(_ arguments: [String], timeLimit seconds: Int) throws -> (status: Int32, output: String) {
    try runProgram(URL(fileURLWithPath: "/usr/bin/timeout"), ["-s", "KILL", String(seconds), caloForgeBinary.path] + arguments)
}

/// Runs a program to its end and returns its exit status and its standard output and error together.
func runProgram(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Writes a CaloChallenge file holding any values, NaN included, through CaloData's HDF5 layer (the
/// CaloChallengeWriter refuses such values). `showers` defaults to 1 MeV in every voxel.
func writeShowerFile(_ path: String, energies: [Float], voxels: Int = 368, showers: [Float]? = nil) throws {
    let file = try HDF5File(path, mode: .create)
    try file.createDataset(CaloChallengeReader.energiesKey, columns: 1).append(energies)
    try file.createDataset(CaloChallengeReader.showersKey, columns: voxels)
        .append(showers ?? [Float](repeating: 1, count: energies.count * voxels))
}

/// Ten valid dataset-1 photon events at 1 GeV.
func writeValidFile(_ path: String, events: Int = 10) throws {
    try writeShowerFile(path, energies: [Float](repeating: 1024, count: events))
}

/// The files in `folder`, sorted (to show that a refused command wrote nothing).
func contents(of folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
}

/// Holds an flock on `path` from this process, as another caloforge run would, for the duration
/// of `body`, with `holder` written in the file.
func withForeignLock<T>(on path: String, holder: String, _ body: () throws -> T) throws -> T {
    let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
    try #require(descriptor >= 0, "cannot open \(path)")
    defer { close(descriptor) }
    try #require(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
    _ = holder.withCString { write(descriptor, $0, strlen($0)) }
    return try body()
}
