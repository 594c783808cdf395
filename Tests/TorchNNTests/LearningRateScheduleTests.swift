import Foundation
import Testing
import TorchNN

private struct PlateauFixture: Decodable {
    struct Settings: Decodable {
        let factor: Double
        let patience: Int
        let threshold: Double
        let cooldown: Int
        let minLr: Double
    }
    let settings: Settings
    let initialLr: Double
    let metrics: [Double]
    let learningRates: [Double]

    func makePlateau() -> ReduceOnPlateau {
        ReduceOnPlateau(factor: settings.factor, patience: settings.patience, threshold: settings.threshold,
                        cooldown: settings.cooldown, minimum: settings.minLr)
    }
}

private func roundTrip<T: Codable>(_ value: T) throws -> T {
    try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
}

@Suite struct LearningRateScheduleTests {
    @Test func constantScheduleIsConstant() throws {
        let schedule = ConstantSchedule(3e-4)
        #expect([0, 1, 1000].map(schedule.learningRate(at:)) == [3e-4, 3e-4, 3e-4])
        #expect(try roundTrip(schedule) == schedule)
    }

    /// Linear warm-up peak·(step + 1)/warmupSteps, then minimum + (peak − minimum)·½(1 + cos(π·progress)).
    @Test(arguments: [0, 1, 4, 9, 10, 11, 35, 60, 85, 109, 110, 111, 500])
    func cosineWarmupFollowsTheFormula(step: Int) throws {
        let (peak, minimum, warmup, total) = (2e-3, 1e-5, 10, 110)
        let schedule = CosineWarmupSchedule(peak: peak, warmupSteps: warmup, totalSteps: total, minimum: minimum)
        let expected: Double
        if step < warmup {
            expected = peak * Double(step + 1) / Double(warmup)
        } else {
            let progress = Swift.min(Double(step - warmup) / Double(total - warmup), 1)
            expected = minimum + (peak - minimum) * 0.5 * (1 + Foundation.cos(Double.pi * progress))
        }
        #expect(Swift.abs(schedule.learningRate(at: step) - expected) < 1e-15)
    }

    @Test func cosineWarmupLandmarks() {
        let schedule = CosineWarmupSchedule(peak: 1, warmupSteps: 4, totalSteps: 104, minimum: 0.1)
        #expect(schedule.learningRate(at: 3) == 1)
        #expect(schedule.learningRate(at: 4) == 1)
        #expect(Swift.abs(schedule.learningRate(at: 54) - 0.55) < 1e-12)
        #expect(Swift.abs(schedule.learningRate(at: 104) - 0.1) < 1e-12)
        #expect(Swift.abs(schedule.learningRate(at: 10_000) - 0.1) < 1e-12)
        let rates = (4...104).map(schedule.learningRate(at:))
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func cosineWarmupRoundTripsThroughJSON() throws {
        let schedule = CosineWarmupSchedule(peak: 2e-3, warmupSteps: 10, totalSteps: 1000, minimum: 1e-6)
        #expect(try roundTrip(schedule) == schedule)
    }

    @Test func reduceOnPlateauMatchesPyTorch() throws {
        let golden: PlateauFixture = try Fixtures.json("plateau.json")
        var plateau = golden.makePlateau()
        var lr = golden.initialLr
        var rates: [Double] = []
        for metric in golden.metrics {
            lr = plateau.observe(metric, learningRate: lr)
            rates.append(lr)
        }
        #expect(rates == golden.learningRates)
        // The fixture reaches the floor and goes through cooldowns.
        #expect(rates.last == golden.settings.minLr)
    }

    @Test func reduceOnPlateauRoundTripsThroughJSONAtAnyPoint() throws {
        let golden: PlateauFixture = try Fixtures.json("plateau.json")
        // Before the first observation (best is still +∞), and part-way through the sequence.
        for split in [0, 9, 20] {
            var plateau = golden.makePlateau()
            var lr = golden.initialLr
            for metric in golden.metrics.prefix(split) { lr = plateau.observe(metric, learningRate: lr) }
            var restored = try roundTrip(plateau)
            #expect(restored == plateau)
            var restoredLR = lr
            for metric in golden.metrics.dropFirst(split) {
                lr = plateau.observe(metric, learningRate: lr)
                restoredLR = restored.observe(metric, learningRate: restoredLR)
                #expect(restoredLR == lr)
            }
            #expect(restored == plateau)
        }
    }
}
