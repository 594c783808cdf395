import ArgumentParser
import CaloData
import Testing
import Torch

@testable import caloforge

@Suite struct BenchModelOptionsTests {
    @Test func modelAndConfigTogetherAreRefused() {
        #expect(throws: (any Error).self) { try BenchModelOptions.parse(["--model", "builtin", "--config", "ds2"]) }
        #expect(throws: (any Error).self) { try BenchTrainStep.parse(["--model", "builtin", "--config", "ds2"]) }
    }

    @Test func aConfigGivesAFreshModel() throws {
        let (model, name, isFresh) = try BenchModelOptions.parse(["--config", "two-stage-ds2"]).load(device: .cpu)
        #expect(isFresh)
        #expect(name == "two-stage-ds2")
        #expect(model.modelKind == "two-stage")
    }

    @Test func theSyntheticLoaderHoldsShowersOfTheGeometry() throws {
        let loader = try BenchModelOptions.syntheticLoader(geometry: .ds2, count: 20, batchSize: 4, device: .cpu)
        let batch = try #require(try loader.nextBatch())
        #expect(batch.showers.shape == [4, Geometry.ds2.voxelCount])
        #expect(batch.incidentEnergies.shape == [4, 1])
        // Log-uniform in 1 GeV–1 TeV (MeV) and showers that deposit energy.
        #expect(try batch.incidentEnergies.amin().item() >= 1_000)
        #expect(try batch.incidentEnergies.amax().item() <= 1_000_000)
        #expect(try batch.showers.sum().item() > 0)
    }
}
