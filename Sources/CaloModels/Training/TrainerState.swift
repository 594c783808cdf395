import CaloData
import TorchNN

/// Everything besides tensors that a resumed run needs, stored as JSON (`schedule`) in `last.safetensors`.
struct TrainerState: Codable, Equatable {
    var step = 0
    var epochLossSum = 0.0
    var epochBatches = 0
    var bestValidationLoss: Double?
    /// Epochs in a row the stopping rule judged bad (``StoppingRule/badEpochs(after:trainingLoss:validationLoss:bestValidationLoss:)``).
    var earlyStopCount = 0
    /// The plateau trackers of the parts whose schedule is a plateau rule, by part name.
    var plateaus: [String: ReduceOnPlateau]
    var loader: ShowerLoader.State
    var secondsTrained = 0.0
    var finished: TrainingOutcome?

    init(plateaus: [String: ReduceOnPlateau], loader: ShowerLoader.State) {
        self.plateaus = plateaus
        self.loader = loader
    }

    private enum CodingKeys: String, CodingKey {
        case step, epochLossSum, epochBatches, bestValidationLoss, earlyStopCount, plateaus, loader, secondsTrained, finished
        /// Written before parts existed: the one plateau tracker, of the part "model".
        case plateau
    }

    /// Decodes the current layout, or the earlier one with a single `plateau`.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        step = try container.decode(Int.self, forKey: .step)
        epochLossSum = try container.decode(Double.self, forKey: .epochLossSum)
        epochBatches = try container.decode(Int.self, forKey: .epochBatches)
        bestValidationLoss = try container.decodeIfPresent(Double.self, forKey: .bestValidationLoss)
        earlyStopCount = try container.decode(Int.self, forKey: .earlyStopCount)
        if let plateaus = try container.decodeIfPresent([String: ReduceOnPlateau].self, forKey: .plateaus) {
            self.plateaus = plateaus
        } else {
            plateaus = try container.decodeIfPresent(ReduceOnPlateau.self, forKey: .plateau).map { ["model": $0] } ?? [:]
        }
        loader = try container.decode(ShowerLoader.State.self, forKey: .loader)
        secondsTrained = try container.decode(Double.self, forKey: .secondsTrained)
        // A resume clears it, so an outcome text of another version is no reason to refuse the file.
        finished = try? container.decodeIfPresent(TrainingOutcome.self, forKey: .finished)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(step, forKey: .step)
        try container.encode(epochLossSum, forKey: .epochLossSum)
        try container.encode(epochBatches, forKey: .epochBatches)
        try container.encodeIfPresent(bestValidationLoss, forKey: .bestValidationLoss)
        try container.encode(earlyStopCount, forKey: .earlyStopCount)
        try container.encode(plateaus, forKey: .plateaus)
        try container.encode(loader, forKey: .loader)
        try container.encode(secondsTrained, forKey: .secondsTrained)
        try container.encodeIfPresent(finished, forKey: .finished)
    }
}
