import Foundation
import Testing

@testable import caloforge

@Suite struct JSONOutputTests {
    struct Sample: Codable, Equatable {
        var zeta: Int
        var alpha: String
    }

    @Test func keysAreSortedAndLinesIndented() throws {
        #expect(try JSONOutput.text(Sample(zeta: 1, alpha: "a")) == "{\n  \"alpha\" : \"a\",\n  \"zeta\" : 1\n}")
    }

    @Test func writeRoundTrips() throws {
        try withScratchFolder { folder in
            let path = folder.appendingPathComponent("out.h5.json").path
            try JSONOutput.write(Sample(zeta: 2, alpha: "b"), to: path)
            let read = try JSONDecoder().decode(Sample.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(read == Sample(zeta: 2, alpha: "b"))
        }
    }
}
