import CaloEval
import Testing

@testable import caloforge

@Suite struct EvaluationProgressDisplayTests {
    static func step(_ stage: String, _ file: String, _ done: Int, _ total: Int, _ unit: String = "events") -> EvaluationProgress {
        EvaluationProgress(stage: stage, file: file, completedEvents: done, totalEvents: total, unit: unit)
    }

    @Test func onePassIsOneBarRetitledAsItsLabelChanges() throws {
        let display = EvaluationProgressDisplay(enabled: true, isTerminal: false)
        display.update(Self.step("classifier", "cls-high generated, test accuracy 0.5000", 1, 3, "epochs"))
        let bar = try #require(display.currentBar)
        display.update(Self.step("classifier", "cls-high generated, test accuracy 0.6000", 2, 3, "epochs"))
        #expect(display.currentBar === bar)
        #expect(bar.title == "classifier cls-high generated, test accuracy 0.6000")
        #expect(bar.lineInterval == 0, "every epoch is logged")
        #expect(bar.initial == 1, "the epoch done before the first report is not timed")
        display.finish()
        #expect(display.currentBar == nil)
    }

    @Test func aFinishedPassStartsANewBar() throws {
        let display = EvaluationProgressDisplay(enabled: true, isTerminal: false)
        display.update(Self.step("features", "reference", 3, 3))
        let first = try #require(display.currentBar)
        #expect(first.finished)
        #expect(first.lineInterval == 10, "passes over events are logged at most every 10 s")
        display.update(Self.step("features", "generated", 1, 3))
        #expect(display.currentBar !== first)
        display.update(Self.step("metrics", "hist", 0, 0))
        #expect(display.currentBar == nil, "a metric family's line closes the bar")
    }

    @Test func disabledShowsNothing() {
        let display = EvaluationProgressDisplay(enabled: false, isTerminal: false)
        display.update(Self.step("features", "reference", 1, 3))
        #expect(display.currentBar == nil)
    }
}
