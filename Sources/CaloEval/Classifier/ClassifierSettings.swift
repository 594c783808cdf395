/// Settings of the classifier tests of `caloforge evaluate` (spec/calochallenge.md §5).
public struct ClassifierSettings: Sendable, Equatable, Codable {
    /// Training epochs (official: 50).
    public var epochs: Int
    /// Independent trainings averaged (the paper: 10; evaluate.py: 1).
    public var runs: Int

    /// Settings of `epochs` epochs per training and `runs` trainings.
    public init(epochs: Int = 50, runs: Int = 1) {
        self.epochs = epochs
        self.runs = runs
    }
}
