import Foundation
import Testing

@testable import CaloEval

/// E_dep / E_inc in incident-energy bins, and the choice of bins.
@Suite struct BinnedResponseTests {
    @Test func meansAndSpreadsPerBin() throws {
        var response = try BinnedResponse(incidentEnergyEdges: [1, 10, 100])
        response.add(incidentEnergy: 5, depositedEnergy: 4)  // 0.8, bin 0
        response.add(incidentEnergy: 5, depositedEnergy: 6)  // 1.2, bin 0
        response.add(incidentEnergy: 100, depositedEnergy: 90)  // 0.9, last bin holds its right edge
        response.add(incidentEnergy: 1000, depositedEnergy: 1)  // outside
        response.add(incidentEnergy: 0.5, depositedEnergy: 1)  // outside
        #expect(response.counts == [2, 1])
        #expect(response.outsideCount == 2)
        #expect(abs(response.means[0] - 1.0) < 1e-15 && abs(response.means[1] - 0.9) < 1e-15)
        // Sample standard deviation of 0.8 and 1.2: sqrt(0.08) = 0.2828….
        #expect(abs(response.standardDeviations[0] - 0.08.squareRoot()) < 1e-15)
        #expect(response.standardDeviations[1].isNaN)
    }

    @Test func invalidEdgesThrow() {
        #expect(throws: EvaluationError.self) { try BinnedResponse(incidentEnergyEdges: [10]) }
        #expect(throws: EvaluationError.self) { try BinnedResponse(incidentEnergyEdges: [0, 10]) }
        #expect(throws: EvaluationError.self) { try BinnedResponse(incidentEnergyEdges: [10, 5]) }
    }

    @Test func discreteEnergiesGetOneBinEach() {
        // Dataset 1: powers of two, in float32 storage; neighbours' geometric means bound the bins.
        let energies = [256.0, 512, 512, 1024, Double(Float(1024.0000001))]
        let edges = BinnedResponse.incidentEnergyEdges(for: energies)
        let expected = [256 / 2.0.squareRoot(), (256.0 * 512).squareRoot(), (512.0 * 1024).squareRoot(), 1024 * 2.0.squareRoot()]
        #expect(edges.count == 4)
        for (edge, value) in zip(edges, expected) { #expect(abs(edge / value - 1) < 1e-12) }
        let single = BinnedResponse.incidentEnergyEdges(for: [100, 100])
        #expect(abs(single[0] - 100 / 2.0.squareRoot()) < 1e-12 && abs(single[1] - 100 * 2.0.squareRoot()) < 1e-12)
    }

    @Test func continuousEnergiesGetFourBinsPerDecadeOnRoundEdges() {
        // Datasets 2 and 3: log-uniform over 1 GeV … 1 TeV; 40 distinct values exceed the discrete limit.
        let energies = (0..<40).map { 1000.5 * pow(999.0, Double($0) / 39) }
        let edges = BinnedResponse.incidentEnergyEdges(for: energies)
        #expect(edges.count == 13)
        #expect(edges.first == 1000 && abs(edges[4] - 1e4) < 1e-9 && abs(edges[12] - 1e6) < 1e-6)
        #expect(edges.first! <= energies.min()! && edges.last! >= energies.max()!)
        #expect(BinnedResponse.incidentEnergyEdges(for: []).isEmpty)
        #expect(BinnedResponse.incidentEnergyEdges(for: [-1, .nan]).isEmpty)
    }
}
