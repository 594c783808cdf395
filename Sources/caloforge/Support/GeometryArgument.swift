import ArgumentParser
import CaloData
import Foundation

/// Resolves a `--geometry` value, the one place the commands map text to a `Geometry`: a built-in
/// name (`ds1-photons`, `ds1-pions`, `ds2`, `ds3`) or the path of a binning XML file. A value is a
/// path when it ends in `.xml`, holds a `/`, or names an existing file.
///
/// - Throws: `CommandError.geometryFileMissing` for a path that does not exist,
///   `CaloDataError.invalidGeometry` for a binning file that does not parse, and
///   `CaloDataError.unknownGeometry` for any other name.
func resolveGeometry(_ text: String) throws -> Geometry {
    guard isGeometryPath(text) else { return try Geometry.named(text) }
    guard FileManager.default.fileExists(atPath: text) else { throw CommandError.geometryFileMissing(path: text) }
    return try Geometry(xmlFile: URL(fileURLWithPath: text))
}

/// Whether a `--geometry` value names a binning file rather than a built-in geometry.
func isGeometryPath(_ text: String) -> Bool {
    text.lowercased().hasSuffix(".xml") || text.contains("/") || FileManager.default.fileExists(atPath: text)
}

/// Checks a `--geometry` value in `validate()`, where only the arguments may be looked at: a
/// built-in name must be known; a binning file is read, and checked, by ``resolveGeometry(_:)`` in `run()`.
///
/// - Throws: `ValidationError` naming the option and the built-in names.
func validateGeometryName(_ text: String) throws {
    guard !isGeometryPath(text) else { return }
    do { _ = try Geometry.named(text) } catch { throw ValidationError("--geometry: \(error)") }
}
