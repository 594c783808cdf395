extension TwoStageConfig {
    /// Run settings of the built-in recipes: batch 128, 10 % held out, checkpoints every 200 steps.
    static func recipe(epochs: Int) -> TrainingConfig {
        TrainingConfig(
            learningRate: 1e-3, batchSize: 128, maxEpochs: epochs, validationFraction: 0.1, optimizer: .adamW(weightDecay: 0),
            schedule: .constant, stopping: .never, checkpointEverySteps: 200)
    }

    /// AdamW with a cosine decay over the run, EMA 0.999 and clipping at norm 1 (CaloScore v2 and CaloDREAM
    /// train both stages with decaying rates and EMA, spec/models.md §B.2.7, §D).
    static func policies(learningRate: Double) -> TrainingPolicies {
        TrainingPolicies(
            optimizer: .adamW(weightDecay: 0), learningRate: learningRate, schedule: .cosine(warmupSteps: 200),
            clipping: .globalNorm(maxNorm: 1), emaDecay: 0.999)
    }

    /// The built-in two-stage configurations: ds2 (the built-in model's recipe: 26 epochs, 30 minutes on this
    /// project's 2-core CPU; raise `--epochs` for a longer run), ds3 and ds1.
    public static let builtIn: [TwoStageConfig] = [
        TwoStageConfig(
            name: "two-stage-ds2", geometry: "ds2", maxDeposit: 2, energyNetwork: EnergyNetwork(width: 128, depth: 3, batchRepeats: 8),
            shapeNetwork: ShapeNetwork(patch: [1, 16, 9], width: 64, depth: 4, heads: 4, mlpRatio: 2, patchSkips: true),
            energyStepFactor: 2,
            training: recipe(epochs: 26), energyTraining: policies(learningRate: 1e-3), shapeTraining: policies(learningRate: 1e-3)),
        TwoStageConfig(
            name: "two-stage-ds3", geometry: "ds3", maxDeposit: 2, energyNetwork: EnergyNetwork(width: 128, depth: 3, batchRepeats: 8),
            shapeNetwork: ShapeNetwork(patch: [1, 10, 18], width: 64, depth: 4, heads: 4, mlpRatio: 2, patchSkips: true),
            training: recipe(epochs: 60), energyTraining: policies(learningRate: 1e-3), shapeTraining: policies(learningRate: 1e-3)),
        TwoStageConfig(
            name: "two-stage-ds1-photons", geometry: "ds1-photons", maxDeposit: 3.1, energyNetwork: EnergyNetwork(width: 64, depth: 3, batchRepeats: 8),
            shapeNetwork: ShapeNetwork(patch: nil, width: 64, depth: 3, heads: 4, mlpRatio: 2, patchSkips: true),
            training: recipe(epochs: 100), energyTraining: policies(learningRate: 1e-3), shapeTraining: policies(learningRate: 1e-3)),
        TwoStageConfig(
            name: "two-stage-ds1-pions", geometry: "ds1-pions", maxDeposit: 3.1, energyNetwork: EnergyNetwork(width: 64, depth: 3, batchRepeats: 8),
            shapeNetwork: ShapeNetwork(patch: nil, width: 64, depth: 3, heads: 4, mlpRatio: 2, patchSkips: true),
            training: recipe(epochs: 100), energyTraining: policies(learningRate: 1e-3), shapeTraining: policies(learningRate: 1e-3)),
    ]
}
