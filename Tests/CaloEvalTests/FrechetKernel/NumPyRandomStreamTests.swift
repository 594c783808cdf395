import Testing
@testable import CaloEval

@Suite struct NumPyRandomStreamTests {
    @Test func drawsTheIndicesOfNumPyDefaultRNGChoice() throws {
        for stream in try MetricFixtures.golden().numpyStreams {
            var random = NumPyRandomStream(seed: stream.seed)
            for call in stream.calls {
                #expect(random.choice(call.bound, count: call.count) == call.draws, "seed \(stream.seed), bound \(call.bound)")
            }
        }
    }

    @Test func boundOneAlwaysGivesZero() {
        var random = NumPyRandomStream(seed: 7)
        #expect(random.choice(1, count: 5) == [0, 0, 0, 0, 0])
    }
}
