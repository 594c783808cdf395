import CaloData
import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct ShowerLoaderTests {
    static let eventCount = 53

    /// A loader over 53 random ds1-photon events (float32 storage, as read from files).
    func makeLoader(
        splitSeed: UInt64 = 1, shuffleSeed: UInt64 = 2, fraction: Double = 0.8, batchSize: Int = 8, dropsLastBatch: Bool = false,
        dtype: DType = .float32
    ) throws -> ShowerLoader {
        let (showers, energies) = try randomShowers(.ds1Photons, events: Self.eventCount, seed: 99, dtype: .float32)
        return try ShowerLoader(
            showers: showers, incidentEnergies: energies, geometry: .ds1Photons, trainingFraction: fraction,
            splitGenerator: try Generator(seed: splitSeed), shuffleGenerator: try Generator(seed: shuffleSeed),
            batchSize: batchSize, dropsLastBatch: dropsLastBatch, dtype: dtype)
    }

    func epochIndices(_ loader: ShowerLoader) throws -> [[Int]] {
        var batches: [[Int]] = []
        while let batch = try loader.nextBatch() { batches.append(batch.eventIndices) }
        return batches
    }

    @Test func splitSizesAndDisjointSets() throws {
        let loader = try makeLoader(fraction: 0.8)
        #expect(loader.trainingIndices.count == 42)  // ⌊53 · 0.8⌋
        #expect(loader.validationIndices.count == 11)
        #expect((loader.trainingIndices + loader.validationIndices).sorted() == Array(0..<Self.eventCount))
        #expect(loader.batchesPerEpoch == 6 && loader.validationBatchCount == 2)
        // The same split seed gives the same split; another seed another one.
        #expect(try makeLoader(shuffleSeed: 7).trainingIndices == loader.trainingIndices)
        #expect(try makeLoader(splitSeed: 3).trainingIndices != loader.trainingIndices)
    }

    @Test func everyTrainingEventOncePerEpochInANewOrder() throws {
        let loader = try makeLoader()
        let first = try epochIndices(loader)
        #expect(first.map(\.count) == [8, 8, 8, 8, 8, 2])
        #expect(first.flatMap { $0 }.sorted() == loader.trainingIndices)
        #expect(loader.epoch == 1 && loader.position == 0)
        let second = try epochIndices(loader)
        #expect(second.flatMap { $0 }.sorted() == loader.trainingIndices)
        #expect(second != first)
        let dropping = try makeLoader(dropsLastBatch: true)
        #expect(try epochIndices(dropping).map(\.count) == [8, 8, 8, 8, 8])
        #expect(dropping.batchesPerEpoch == 5)
    }

    @Test func sameSeedsSameOrderDifferentSeedsDiffer() throws {
        let a = try epochIndices(try makeLoader())
        #expect(try epochIndices(try makeLoader()) == a)
        #expect(try epochIndices(try makeLoader(shuffleSeed: 3)) != a)
    }

    @Test func batchesHoldTheRightRowsOnTheRequestedDtype() throws {
        let (showers, energies) = try randomShowers(.ds1Photons, events: Self.eventCount, seed: 99, dtype: .float32)
        let loader = try makeLoader(dtype: .float64)
        let batch = try #require(try loader.nextBatch())
        #expect(
            batch.showers.shape == [8, 368] && batch.incidentEnergies.shape == [8, 1] && batch.layerEnergies.shape == [8, 5])
        #expect(batch.showers.dtype == .float64 && batch.showers.device == .cpu)
        let index = try Tensor(batch.eventIndices.map(Int64.init))
        try expectClose(batch.showers, try showers.indexSelect(dim: 0, index: index).to(dtype: .float64), rtol: 0, atol: 0)
        try expectClose(
            batch.incidentEnergies, try energies.indexSelect(dim: 0, index: index).to(dtype: .float64), rtol: 0, atol: 0)
        try expectClose(batch.layerEnergies, try Geometry.ds1Photons.layerEnergies(of: batch.showers), rtol: 0, atol: 0)
        let validation = try loader.validationBatch(1)
        #expect(validation.eventIndices == Array(loader.validationIndices[8...]))
        expectCaloDataError(containing: "validation batch 2 does not exist; there are 2") { _ = try loader.validationBatch(2) }
    }

    @Test func resumesFromASavedPositionWithTheSameBatches() throws {
        let loader = try makeLoader()
        _ = try epochIndices(loader)
        for _ in 0..<2 { _ = try loader.nextBatch() }
        // The state goes through JSON, as it would through checkpoint metadata.
        let saved = try JSONDecoder().decode(ShowerLoader.State.self, from: try JSONEncoder().encode(loader.state()))
        #expect(saved.epoch == 1 && saved.position == 16)
        var expected: [[Int]] = []
        for _ in 0..<8 { expected.append(try loader.nextBatch()?.eventIndices ?? []) }  // runs into epoch 2

        let resumed = try makeLoader(shuffleSeed: 12345)  // its own seed is overridden by the saved state
        try resumed.restore(saved)
        var actual: [[Int]] = []
        for _ in 0..<8 { actual.append(try resumed.nextBatch()?.eventIndices ?? []) }
        #expect(actual == expected)
        #expect(resumed.epoch == loader.epoch && resumed.position == loader.position)

        expectCaloDataError(containing: "belongs to another train/validation split") {
            try makeLoader(splitSeed: 5).restore(saved)
        }
    }

    @Test func loadsAFileIntoMemory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ds1.h5").path
        let (showers, energies) = try randomShowers(.ds1Photons, events: 10, seed: 31, dtype: .float32)
        let writer = try CaloChallengeWriter(path: path, geometry: .ds1Photons)
        try writer.append(incidentEnergies: try energies.toArray(Float.self), showers: try showers.toArray(Float.self))
        try writer.finish()
        let loader = try ShowerLoader(
            reader: try CaloChallengeReader(path: path), trainingFraction: 0.5, splitGenerator: try Generator(seed: 1),
            shuffleGenerator: try Generator(seed: 2), batchSize: 3, chunkSize: 4)
        var seen: [Int] = []
        while let batch = try loader.nextBatch() {
            let index = try Tensor(batch.eventIndices.map(Int64.init))
            try expectClose(batch.showers, try showers.indexSelect(dim: 0, index: index), rtol: 0, atol: 0)
            seen += batch.eventIndices
        }
        #expect(seen.sorted() == loader.trainingIndices && seen.count == 5)
    }

    @Test func rejectsBadArgumentsWithClearMessages() throws {
        for fraction in [0.0, 1.0, 1.5, -0.2] {
            expectCaloDataError(containing: "trainingFraction is \(fraction); it must lie strictly between 0 and 1") {
                _ = try makeLoader(fraction: fraction)
            }
        }
        expectCaloDataError(containing: "leaves 0 for training") { _ = try makeLoader(fraction: 0.01) }
        expectCaloDataError(containing: "batchSize is 0") { _ = try makeLoader(batchSize: 0) }
        expectCaloDataError(containing: "dropping the last partial batch leaves no batches") {
            _ = try makeLoader(batchSize: 100, dropsLastBatch: true)
        }
        let (ds2Showers, energies) = try randomShowers(.ds2, events: 4, seed: 1, dtype: .float32)
        expectCaloDataError(containing: "shower loader: tensor has shape [4, 6480], expected [batch, 368]") {
            _ = try ShowerLoader(
                showers: ds2Showers, incidentEnergies: energies, geometry: .ds1Photons, trainingFraction: 0.5,
                splitGenerator: try Generator(seed: 1), shuffleGenerator: try Generator(seed: 2), batchSize: 2)
        }
        expectCaloDataError(containing: "expected incident energies [4, 1]") {
            _ = try ShowerLoader(
                showers: ds2Showers, incidentEnergies: try Tensor.ones([3, 1]), geometry: .ds2, trainingFraction: 0.5,
                splitGenerator: try Generator(seed: 1), shuffleGenerator: try Generator(seed: 2), batchSize: 2)
        }
    }
}
