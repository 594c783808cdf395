import CaloData
import Foundation
import Testing

/// The HDF5 owner layer: datasets written and read back by row ranges, string attributes.
@Suite struct HDF5FileTests {
    static let rows = 11
    static let columns = 5

    /// Values no float32 can hold exactly, so a float64 round trip is visibly lossless.
    static let values: [Double] = (0..<(rows * columns)).map { Double($0 / columns) * 10 + Double($0 % columns) + 1.0 / 3 }

    static func rows(_ range: Range<Int>) -> [Double] { Array(values[(range.lowerBound * columns)..<(range.upperBound * columns)]) }

    @Test(arguments: [HDF5Dataset.ElementType.float32, .float64])
    func roundTripByRowRanges(dtype: HDF5Dataset.ElementType) throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("values.h5").path
            do {
                let file = try HDF5File(path, mode: .create)
                let dataset = try file.createDataset("values", columns: Self.columns, dtype: dtype, chunkRows: 3)
                #expect(try dataset.shape == [0, Self.columns])
                // Appended in uneven pieces that straddle the 3-row chunks.
                for piece in [0..<4, 4..<5, 5..<11] {
                    if dtype == .float64 {
                        try dataset.append(Self.rows(piece))
                    } else {
                        try dataset.append(Self.rows(piece).map(Float.init))
                    }
                }
                #expect(try dataset.shape == [Self.rows, Self.columns])
            }
            // Reopened read-only after the handles closed: the data reached the file.
            let dataset = try HDF5File(path).dataset("values")
            #expect(dataset.elementType == dtype)
            #expect(try dataset.shape == [Self.rows, Self.columns])
            for range in [0..<11, 2..<5, 10..<11, 0..<1, 4..<4] {
                let expected = Self.rows(range)
                let asDouble = try dataset.read(rows: range, as: Double.self)
                let asFloat = try dataset.read(rows: range, as: Float.self)
                if dtype == .float64 {
                    #expect(asDouble == expected, "rows \(range)")
                } else {
                    #expect(asDouble == expected.map { Double(Float($0)) }, "rows \(range)")
                }
                #expect(asFloat == expected.map(Float.init), "rows \(range)")
            }
            #expect(try dataset.readAll(as: Double.self).count == Self.rows * Self.columns)
        }
    }

    @Test func overwriteRowsInPlace() throws {
        try withTemporaryDirectory { directory in
            let file = try HDF5File(directory.appendingPathComponent("w.h5").path, mode: .create)
            let dataset = try file.createDataset("values", columns: 2, rows: 4, dtype: .float64)
            try dataset.write([1, 2, 3, 4, 5, 6, 7, 8] as [Double], atRow: 0)
            try dataset.write([-1, -2, -3, -4] as [Double], atRow: 1)
            #expect(try dataset.readAll(as: Double.self) == [1, 2, -1, -2, -3, -4, 7, 8])
            #expect(throws: CaloDataError.self) { try dataset.write([0, 0, 0, 0] as [Double], atRow: 3) }
            #expect(throws: CaloDataError.self) { try dataset.write([0, 0, 0] as [Double], atRow: 0) }
        }
    }

    @Test func rowsOutsideTheDatasetAndPartialRowsThrow() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("r.h5").path
            let file = try HDF5File(path, mode: .create)
            let dataset = try file.createDataset("energies", columns: 3)
            try dataset.append([1, 2, 3, 4, 5, 6] as [Float])
            #expect {
                try dataset.read(rows: 1..<3, as: Float.self)
            } throws: { error in
                guard case .invalidArgument(let message)? = error as? CaloDataError else { return false }
                return message.contains(path) && message.contains("'energies'") && message.contains("2 rows")
            }
            #expect(throws: CaloDataError.self) { try dataset.append([1, 2] as [Float]) }
        }
    }

    @Test func stringAttributes() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("a.h5").path
            do {
                let file = try HDF5File(path, mode: .create)
                #expect(try file.attribute("complete") == nil)
                try file.setAttribute("complete", "false")
                try file.setAttribute("complete", "true")          // replaced, not duplicated
                try file.setAttribute("empty", "")
                try file.setAttribute("unicode", "γ → π⁺, 4.2 TeV")
                try file.setAttribute("long", String(repeating: "x", count: 5000))
            }
            let file = try HDF5File(path)
            #expect(try file.attribute("complete") == "true")
            #expect(try file.attribute("empty") == "")
            #expect(try file.attribute("unicode") == "γ → π⁺, 4.2 TeV")
            #expect(try file.attribute("long")?.count == 5000)
            #expect(try file.attribute("missing") == nil)
        }
    }

    @Test func openingMissingAndNonHDF5FilesNamesThePath() throws {
        try withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("nothing.h5").path
            #expect(throws: CaloDataError.fileNotFound(path: missing)) { try HDF5File(missing) }
            let text = directory.appendingPathComponent("notes.h5").path
            try Data("not an HDF5 file\n".utf8).write(to: URL(fileURLWithPath: text))
            #expect(throws: CaloDataError.notHDF5(path: text)) { try HDF5File(text) }
            #expect(CaloDataError.notHDF5(path: text).description.contains(text))
        }
    }

    @Test func missingDatasetNamesFileAndDataset() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("m.h5").path
            let file = try HDF5File(path, mode: .create)
            #expect(!file.contains("showers"))
            #expect(throws: CaloDataError.missingDataset(path: path, dataset: "showers")) { try file.dataset("showers") }
        }
    }

    @Test func libraryVersionIsKnown() {
        #expect(HDF5Library.version.split(separator: ".").count == 3)
    }
}
