import CaloEval
import Foundation
import Testing

@Suite struct BinEdgesTests {
    @Test func linearEdgesAreNumpyLinspace() {
        let edges = BinEdges.linear(from: 0.5, to: 1.5, count: 101)
        #expect(edges.count == 101)
        #expect(edges.first == 0.5)
        #expect(edges.last == 1.5)
        // np.linspace(0.5, 1.5, 101)[1] and [37]: i·0.01 + 0.5 in float64.
        #expect(edges[1] == 1 * 0.01 + 0.5)
        #expect(edges[37] == 37 * ((1.5 - 0.5) / 100) + 0.5)
        #expect(BinEdges.linear(from: -30, to: 30, count: 101)[50] == 50 * 0.6 - 30)
        // np.linspace(0, 1, 21)[3] == 0.15000000000000002
        #expect(BinEdges.linear(from: 0, to: 1, count: 21)[3] == 0.15000000000000002)
        #expect(BinEdges.linear(from: 0, to: 1, count: 21) == (0...20).map { Double($0) * 0.05 })
    }

    @Test func interiorEdgesKeepNumpysRoundingAndTheLastIsStop() {
        // np.linspace(0, 0.3, 4) → [0.0, 0.09999999999999999, 0.19999999999999998, 0.3]: the step 0.3/3
        // rounds below 0.1, and the last edge is set to stop.
        let edges = BinEdges.linear(from: 0, to: 0.3, count: 4)
        #expect(edges == [0, 0.09999999999999999, 0.19999999999999998, 0.3])
    }

    @Test func logarithmicEdgesSpanExactlyFromStartToStop() {
        let edges = BinEdges.logarithmic(from: 1, to: 1e4, count: 5)
        #expect(edges.count == 5)
        #expect(edges.first == 1)
        #expect(edges.last == 1e4)
        for (edge, expected) in zip(edges, [1.0, 10, 100, 1000, 10_000]) {
            #expect(Swift.abs(edge - expected) <= 1e-12 * expected)
        }
        // Endpoints are pinned even where 10^log10(x) does not round-trip.
        let threshold = 0.5e-3 / 0.033
        let odd = BinEdges.logarithmic(from: threshold, to: 123_456.789, count: 40)
        #expect(odd.first == threshold)
        #expect(odd.last == 123_456.789)
        #expect(BinEdges.areValid(odd))
        // Constant ratio between neighbours.
        let ratio = odd[1] / odd[0]
        for k in 1..<39 { #expect(Swift.abs(odd[k + 1] / odd[k] - ratio) < 1e-12 * ratio) }
    }

    @Test func validity() {
        #expect(BinEdges.areValid([0, 1]))
        #expect(!BinEdges.areValid([0]))
        #expect(!BinEdges.areValid([0, 0, 1]))
        #expect(!BinEdges.areValid([1, 0]))
        #expect(!BinEdges.areValid([0, .nan]))
        #expect(!BinEdges.areValid([0, .infinity]))
    }
}
