import CaloData
import Foundation
import Testing

/// The readout threshold of spec/calochallenge.md §4.4: values `< threshold` become 0.
@Suite struct ReadoutThresholdTests {
    @Test func officialValues() throws {
        #expect(ReadoutThreshold.dataset1.energy == 1.0)
        #expect(ReadoutThreshold.datasets2And3.energy == 0.5e-3 / 0.033)
        #expect(abs(ReadoutThreshold.datasets2And3.energy - 0.015151515151515152) < 1e-18)
        #expect(try ReadoutThreshold.official(for: .ds1Photons) == .dataset1)
        #expect(try ReadoutThreshold.official(for: .ds1Pions) == .dataset1)
        #expect(try ReadoutThreshold.official(for: .ds2) == .datasets2And3)
        #expect(try ReadoutThreshold.official(for: .ds3) == .datasets2And3)
    }

    @Test func officialGeometryReadFromXMLUnderAnotherName() throws {
        let parsed = try Geometry(xml: Data(Geometry.ds2.xml.utf8), name: "binning_dataset_2")
        #expect(try ReadoutThreshold.official(for: parsed) == .datasets2And3)
    }

    @Test func customGeometryHasNoOfficialThreshold() throws {
        let custom = try Geometry(name: "mine", particle: "electron", layers: [.init(id: 0, radialEdges: [0, 1], angularBins: 4)])
        #expect {
            try ReadoutThreshold.official(for: custom)
        } throws: { error in
            guard case .invalidArgument(let message)? = error as? CaloDataError else { return false }
            return message.contains("'mine'") && message.contains("ReadoutThreshold(energy:)")
        }
    }

    @Test func zeroesValuesBelowIncludingNegativesAndKeepsTheRest() {
        var values: [Float] = [-5, -0.5, 0, 0.25, 0.999_999, 1, 1.000_001, 7, .infinity, -.infinity]
        ReadoutThreshold.dataset1.apply(to: &values)
        #expect(values == [0, 0, 0, 0, 0, 1, 1.000_001, 7, .infinity, 0])

        var doubles: [Double] = [-1e-300, 0.0151, 0.5e-3 / 0.033, 0.016, -3]
        ReadoutThreshold.datasets2And3.apply(to: &doubles)
        #expect(doubles == [0, 0, 0.5e-3 / 0.033, 0.016, 0])
    }

    @Test func zeroThresholdRemovesOnlyNegatives() {
        #expect(ReadoutThreshold(energy: 0).applied(to: [-1, -1e-30, 0, 1e-30, 2]) == [0, 0, 0, 1e-30, 2])
    }

    @Test func nanIsLeftAlone() {
        let result = ReadoutThreshold.dataset1.applied(to: [.nan, 0.5])
        #expect(result[0].isNaN && result[1] == 0)
    }

    /// Float data compare against Float(threshold), as numpy compares a float32 array with a Python
    /// float: where Float(t) < t (t = 0.7), the float Float(t) is kept although it is below t.
    @Test func floatDataCompareInFloat() {
        let threshold = ReadoutThreshold(energy: 0.7)
        let cut = Float(threshold.energy)
        #expect(Double(cut) < threshold.energy)
        #expect(threshold.applied(to: [cut, cut.nextDown, cut.nextUp]) == [cut, 0, cut.nextUp])
        var doubles = [Double(cut)]
        threshold.apply(to: &doubles)
        #expect(doubles == [0])
    }

    /// For the official thresholds the Float and the Double comparison agree: 1 is exact, and no
    /// float lies between 0.5e-3/0.033 and Float(0.5e-3/0.033), which rounds up.
    @Test func officialThresholdsAgreeInFloatAndDouble() {
        for threshold in [ReadoutThreshold.dataset1, .datasets2And3] {
            let cut = Float(threshold.energy)
            #expect(Double(cut) >= threshold.energy && Double(cut.nextDown) < threshold.energy)
            #expect(threshold.applied(to: [cut, cut.nextDown]) == [cut, 0])
        }
    }
}
