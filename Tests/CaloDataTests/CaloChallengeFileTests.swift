import CaloData
import Foundation
import Testing

@Suite struct CaloChallengeFileTests {
    @Test func writeThenReadRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("events.h5").path
        let geometry = Geometry.ds1Photons
        let writer = try CaloChallengeWriter(path: path, geometry: geometry)
        let energies: [Float] = [256, 512, 1024]
        let showers = (0..<(3 * 368)).map { Float($0 % 17) }
        try writer.append(incidentEnergies: Array(energies[0..<2]), showers: Array(showers[0..<(2 * 368)]))
        #expect(!FileManager.default.fileExists(atPath: path))
        try writer.append(incidentEnergies: [energies[2]], showers: Array(showers[(2 * 368)...]))
        try writer.finish()
        #expect(FileManager.default.fileExists(atPath: path))
        let reader = try CaloChallengeReader(path: path)
        #expect(reader.geometry.name == "ds1-photons")
        #expect(reader.eventCount == 3)
        let (e, s) = try reader.readAll()
        #expect(e == [256, 512, 1024])
        #expect(s == showers)
        #expect(try reader.showers(1..<2) == Array(showers[368..<736]))
        try reader.validateValues()
    }
}
