import ArgumentParser
import CaloData
import Foundation
import Testing

@testable import caloforge

@Suite struct GeometryArgumentTests {
    @Test func builtInNamesResolve() throws {
        #expect(try resolveGeometry("ds2").voxelCount == Geometry.ds2.voxelCount)
        #expect(try resolveGeometry("ds1-photons").voxelCount == 368)
    }

    @Test func aBinningFileResolvesByPath() throws {
        try withScratchFolder { folder in
            let path = folder.appendingPathComponent("binning_custom.xml").path
            try Geometry.ds2.xml.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try resolveGeometry(path).voxelCount == Geometry.ds2.voxelCount)
            // An existing file is a path even without `.xml` or a slash (evaluate's former rule).
            #expect(isGeometryPath(path))
            try validateGeometryName(path)
        }
    }

    @Test func aMissingBinningFileIsACommandError() {
        #expect(throws: CommandError.geometryFileMissing(path: "/nonexistent/binning.xml")) {
            try resolveGeometry("/nonexistent/binning.xml")
        }
        #expect(throws: CommandError.geometryFileMissing(path: "binning_missing.xml")) {
            try resolveGeometry("binning_missing.xml")
        }
        let message = CommandError.geometryFileMissing(path: "x.xml").description
        #expect(message.contains("ds1-photons, ds1-pions, ds2, ds3"), "\(message)")
    }

    @Test func anUnknownNameFailsValidation() {
        #expect(throws: CaloDataError.unknownGeometry("ds9")) { try resolveGeometry("ds9") }
        #expect(throws: ValidationError.self) { try validateGeometryName("ds9") }
        #expect(!isGeometryPath("ds2"))
    }
}
