import CaloData
import Foundation

/// Resolves a `--geometry` value: a built-in name (`ds1-photons`, `ds1-pions`, `ds2`, `ds3`) or
/// the path of a binning XML file.
func resolveGeometry(_ text: String) throws -> Geometry {
    if text.lowercased().hasSuffix(".xml") || text.contains("/") {
        guard FileManager.default.fileExists(atPath: text) else {
            throw CaloDataError.invalidArgument(
                "binning file \(text) does not exist; give a built-in geometry (\(Geometry.builtInNames.joined(separator: ", "))) or the path of a binning XML"
            )
        }
        return try Geometry(xmlFile: URL(fileURLWithPath: text))
    }
    return try Geometry.named(text)
}
