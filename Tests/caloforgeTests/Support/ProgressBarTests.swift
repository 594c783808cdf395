import Testing

@testable import caloforge

@Suite struct ProgressBarTests {
    @Test func aLogLineIsNotPadded() {
        let bar = ProgressBar(total: 40, label: "epochs", title: "classifier cls-high", isTerminal: false, width: 10)
        #expect(bar.line(done: 7, elapsed: 7) == "[█░░░░░░░░░] classifier cls-high: 7/40 epochs  17.5%  1.00 epochs/s  ETA 0:33")
    }

    @Test func aTerminalLineIsPaddedToTheTotal() {
        let bar = ProgressBar(total: 1000, label: "showers", isTerminal: true, width: 10)
        #expect(bar.line(done: 600, elapsed: 2) == "[██████░░░░]  600/1000 showers  60.0%  300 showers/s  ETA 0:01")
        #expect(bar.line(done: 1000, elapsed: 65) == "[██████████] 1000/1000 showers 100.0%  15.4 showers/s  in 1:05")
    }

    @Test func noRateBeforeAnyWorkIsSeen() {
        let resumed = ProgressBar(total: 10, label: "steps", isTerminal: false, width: 10, initial: 4)
        #expect(resumed.line(done: 4, elapsed: 0.001) == "[████░░░░░░] 4/10 steps  40.0%  ETA --:--")
        #expect(resumed.line(done: 6, elapsed: 2) == "[██████░░░░] 6/10 steps  60.0%  1.00 steps/s  ETA 0:04")
        #expect(resumed.line(done: 10, elapsed: 0) == "[██████████] 10/10 steps 100.0%  in 0:00")
    }

    @Test func clockAndRate() {
        #expect(ProgressBar.clock(3725) == "1:02:05")
        #expect(ProgressBar.clock(59.6) == "1:00")
        #expect(ProgressBar.rate(1234.4) == "1234")
        #expect(ProgressBar.rate(0.523) == "0.52")
    }
}
