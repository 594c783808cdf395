import Testing

@testable import CaloModels

@Suite struct LayerLogitNormConstantsTests {
    /// The reference consts.py values (spec/models.md §A.15), by geometry name.
    @Test func builtInConstantsEqualTheReference() throws {
        let ds2 = try LayerLogitNormConstants.forGeometry(named: "ds2")
        #expect(ds2 == LayerLogitNormConstants(totalEnergyMean: 0.3926, totalEnergyStd: 0.05546, layersMean: -6.35551, layersStd: 3.90699))
        let photons = try LayerLogitNormConstants.forGeometry(named: "ds1-photons")
        #expect(photons == LayerLogitNormConstants(totalEnergyMean: 0.3123, totalEnergyStd: 0.02872, layersMean: -4.9023, layersStd: 5.17364))
        let pions = try LayerLogitNormConstants.forGeometry(named: "ds1-pions")
        #expect(pions == LayerLogitNormConstants(totalEnergyMean: 0.2359, totalEnergyStd: 0.08255, layersMean: -4.9742, layersStd: 4.89629))
        let ds3 = try LayerLogitNormConstants.forGeometry(named: "ds3")
        #expect(ds3 == LayerLogitNormConstants(totalEnergyMean: 0, totalEnergyStd: 1, layersMean: 0, layersStd: 1))
    }

    @Test func unknownGeometryNamesTheKnownOnes() {
        #expect {
            _ = try LayerLogitNormConstants.forGeometry(named: "hgcal")
        } throws: { error in
            "\(error)".contains("'hgcal'") && "\(error)".contains("ds1-photons, ds1-pions, ds2, ds3")
        }
    }
}
