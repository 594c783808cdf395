import CaloData
import CaloEval
import Foundation
import Testing

/// The official binning of every observable (spec/calochallenge.md §4.5).
@Suite struct HistogramBinningTests {
    @Test func dataset1PhotonObservablesInOfficialOrder() {
        let binning = HistogramBinning(geometry: .ds1Photons, threshold: .dataset1)
        #expect(binning.convention == .dataset1Photons)
        #expect(binning.datasetCode == "1-photons")
        let observables = binning.observables(for: .ds1Photons)
        let official = observables.filter(\.isOfficial).map(\.label)
        let slices = [256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4194304]
        #expect(
            official == [
                "Etot / Einc", "E layer 0", "E layer 1", "E layer 2", "E layer 3", "E layer 12",
                "EC Eta layer 1", "EC Eta layer 2", "EC Phi layer 1", "EC Phi layer 2",
                "Width Eta layer 1", "Width Eta layer 2", "Width Phi layer 1", "Width Phi layer 2",
            ]
                + slices.map { "Etot / Einc at E = \($0).0" } + ["Voxel distribution"])
        let helpers = observables.filter { !$0.isOfficial }.map(\.key)
        #expect(
            helpers == [0, 1, 2, 3, 12].map { "Sparsity_\($0)" } + [0, 1, 2, 3, 12].map { "EC_r_\($0)" }
                + [0, 1, 2, 3, 12].map { "Width_r_\($0)" })
        #expect(Set(observables.map(\.key)).count == observables.count)
    }

    @Test func fixedBinnings() throws {
        let photons = HistogramBinning(geometry: .ds1Photons, threshold: .dataset1)
        let pions = HistogramBinning(geometry: .ds1Pions, threshold: .dataset1)
        let ds2 = HistogramBinning(geometry: .ds2, threshold: .datasets2And3)
        func edges(_ binning: HistogramBinning, _ observable: HistogramObservable) -> [Double]? {
            binning.fixedEdges(for: observable)
        }
        #expect(edges(ds2, HistogramObservable(.energyRatio)) == BinEdges.linear(from: 0.5, to: 1.5, count: 101))
        // Per-energy E_tot/E_inc: photons narrow from 4096 MeV on, pions never.
        #expect(
            edges(photons, HistogramObservable(.energyRatioSlice, incidentEnergy: 2048))
                == BinEdges.linear(from: 0.4, to: 1.4, count: 21))
        #expect(
            edges(photons, HistogramObservable(.energyRatioSlice, incidentEnergy: 4096))
                == BinEdges.linear(from: 0.9, to: 1.1, count: 21))
        #expect(
            edges(pions, HistogramObservable(.energyRatioSlice, incidentEnergy: 4_194_304))
                == BinEdges.linear(from: 0.4, to: 1.4, count: 21))
        // Centres and widths: datasets 2/3, dataset-1 layers 12 and 13, other dataset-1 layers.
        #expect(edges(ds2, HistogramObservable(.etaCentre, layer: 12)) == BinEdges.linear(from: -30, to: 30, count: 101))
        #expect(edges(pions, HistogramObservable(.phiCentre, layer: 13)) == BinEdges.linear(from: -500, to: 500, count: 101))
        #expect(edges(pions, HistogramObservable(.etaCentre, layer: 2)) == BinEdges.linear(from: -100, to: 100, count: 101))
        #expect(edges(ds2, HistogramObservable(.etaWidth, layer: 0)) == BinEdges.linear(from: 0, to: 30, count: 101))
        #expect(edges(pions, HistogramObservable(.phiWidth, layer: 12)) == BinEdges.linear(from: 0, to: 400, count: 101))
        #expect(edges(photons, HistogramObservable(.etaWidth, layer: 1)) == BinEdges.linear(from: 0, to: 100, count: 101))
        // The uncalled helpers: sparsity, EC r (layer 14 joins 12 and 13), width r.
        #expect(edges(ds2, HistogramObservable(.sparsity, layer: 3)) == BinEdges.linear(from: 0, to: 1, count: 21))
        #expect(edges(ds2, HistogramObservable(.rCentre, layer: 3)) == BinEdges.linear(from: 0, to: 42, count: 101))
        #expect(edges(pions, HistogramObservable(.rCentre, layer: 14)) == BinEdges.linear(from: 0, to: 1500, count: 101))
        #expect(edges(photons, HistogramObservable(.rWidth, layer: 3)) == BinEdges.linear(from: 0, to: 500, count: 101))
        #expect(edges(ds2, HistogramObservable(.rWidth, layer: 3)) == BinEdges.linear(from: 0, to: 20, count: 101))
        #expect(edges(ds2, HistogramObservable(.layerEnergy, layer: 3)) == nil)
    }

    @Test func dataDependentBinningsEndAtTheReferenceMaximum() throws {
        let binning = HistogramBinning(geometry: .ds2, threshold: .datasets2And3)
        let layer = try binning.edges(for: HistogramObservable(.layerEnergy, layer: 7), referenceMaximum: 1234.5)
        #expect(layer.count == 40)
        #expect(layer.first == 0.5e-3 / 0.033)
        #expect(layer.last == 1234.5)
        let voxel = try binning.edges(for: HistogramObservable(.voxelEnergy), referenceMaximum: 99)
        #expect(voxel.count == 50)
        #expect(throws: EvaluationError.self) {
            try binning.edges(for: HistogramObservable(.layerEnergy, layer: 7), referenceMaximum: 0.001)
        }
        #expect(throws: EvaluationError.self) {
            try binning.edges(for: HistogramObservable(.voxelEnergy), referenceMaximum: nil)
        }
    }

    @Test func dataset2HasNoEnergySlices() {
        let observables = HistogramBinning(geometry: .ds2, threshold: .datasets2And3).observables(for: .ds2)
        #expect(!observables.contains { $0.quantity == .energyRatioSlice })
        // 1 + 45 E_layer + 4·45 centres/widths + voxels; then 3·45 helpers.
        #expect(observables.filter(\.isOfficial).count == 1 + 45 + 180 + 1)
        #expect(observables.count == 227 + 135)
        #expect(HistogramBinning(geometry: .ds3, threshold: .datasets2And3).datasetCode == "3")
    }

    @Test func otherGeometriesFollowTheirParticle() throws {
        let layers = [Geometry.Layer(id: 0, radialEdges: [0, 1, 2], angularBins: 4)]
        let electron = try Geometry(name: "mini", particle: "electron", layers: layers)
        let photon = try Geometry(name: "mini-photon", particle: "photon", layers: layers)
        #expect(HistogramBinning(geometry: electron, threshold: ReadoutThreshold(energy: 0.1)).convention == .datasets2And3)
        #expect(HistogramBinning(geometry: electron, threshold: ReadoutThreshold(energy: 0.1)).datasetCode == "mini")
        #expect(HistogramBinning(geometry: photon, threshold: ReadoutThreshold(energy: 0.1)).convention == .dataset1Photons)
    }

    @Test func undefinedObservablesKeepTheirReason() throws {
        // Every layer empty: E_layer maxima are 0, below the threshold, so those binnings are undefined.
        let features = try HighLevelFeatures(
            showers: [Float](repeating: 0, count: 2 * 368), incidentEnergies: [256, 512], geometry: .ds1Photons)
        let binning = HistogramBinning(geometry: .ds1Photons, threshold: .dataset1)
        let edges = HistogramEdges(binning: binning, geometry: .ds1Photons, referenceFeatures: features, maximumVoxelEnergy: 0)
        let layer0 = try #require(edges.entries.first { $0.observable.key == "E_layer_0" })
        #expect(layer0.edges == nil)
        #expect(layer0.undefinedReason?.contains("not above the threshold") == true)
        #expect(edges.voxelEnergyEdges == nil)
        let set = try HistogramSet(edges: edges, features: features, voxelEnergies: nil)
        let scores = ReferenceHistograms(edges: edges, reference: set).separationPowers(set)
        #expect(scores.first { $0.observable.key == "E_layer_0" }?.value == nil)
        // E_tot/E_inc = 0 is outside [0.5, 1.5]: no entries, so S is NaN as in evaluate.py.
        #expect(scores.first { $0.observable.key == "E_ratio" }?.value?.isNaN == true)
    }
}
