import Foundation
import Torch
import TorchNN

/// Hyper-parameters of the classifier test, evaluate.py's `--cls_*` options
/// (spec/calochallenge.md §4.1, §5.3). The defaults are the official values.
public struct ClassifierConfiguration: Sendable, Equatable {
    /// The network trained: the official DNN unless set (``DenseClassifierArchitecture``,
    /// ``ResNetClassifierArchitecture``).
    public var architecture: any ClassifierArchitecture
    /// Events per optimisation step and per evaluation batch (`--cls_batch_size`, 1000).
    public var batchSize: Int
    /// Maximum number of epochs (`--cls_n_epochs`, 50).
    public var epochCount: Int
    /// Adam learning rate (`--cls_lr`, 2·10⁻⁴); betas, eps and weight decay are PyTorch's defaults.
    public var learningRate: Double
    /// Parameter and input dtype: float64 as the reference (which sets torch's default dtype).
    public var dtype: DType

    /// The official settings with a DNN of the given shape (`--cls_n_layer`, `--cls_n_hidden`,
    /// `--cls_dropout_probability`).
    public init(
        hiddenLayerCount: Int = 2, hiddenWidth: Int = 2048, dropoutProbability: Double = 0, batchSize: Int = 1000,
        epochCount: Int = 50, learningRate: Double = 2e-4, dtype: DType = .float64
    ) {
        self.init(
            architecture: DenseClassifierArchitecture(
                hiddenLayerCount: hiddenLayerCount, hiddenWidth: hiddenWidth, dropoutProbability: dropoutProbability),
            batchSize: batchSize, epochCount: epochCount, learningRate: learningRate, dtype: dtype)
    }

    /// The official training settings for any network.
    public init(
        architecture: any ClassifierArchitecture, batchSize: Int = 1000, epochCount: Int = 50, learningRate: Double = 2e-4,
        dtype: DType = .float64
    ) {
        self.architecture = architecture
        self.batchSize = batchSize
        self.epochCount = epochCount
        self.learningRate = learningRate
        self.dtype = dtype
    }

    /// evaluate.py's defaults.
    public static let official = ClassifierConfiguration()

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.architecture.summary == rhs.architecture.summary && lhs.batchSize == rhs.batchSize
            && lhs.epochCount == rhs.epochCount && lhs.learningRate == rhs.learningRate && lhs.dtype == rhs.dtype
    }

    func validate() throws {
        try architecture.validate()
        guard batchSize >= 1, epochCount >= 1, learningRate > 0, dtype.isFloatingPoint else {
            throw EvaluationError.invalidArgument(
                "classifier configuration: need batchSize ≥ 1 (\(batchSize)), epochCount ≥ 1 (\(epochCount)), learningRate > 0 (\(learningRate)) and a floating-point dtype (\(dtype))"
            )
        }
    }
}

/// What one training epoch did, reported to the caller's progress callback.
public struct ClassifierEpoch: Sendable, Equatable, Codable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean training loss (binary cross-entropy on logits) over the epoch's batches.
    public var trainingLoss: Double
    /// Accuracy on the test set after the epoch (threshold 0.5 on the sigmoid).
    public var testAccuracy: Double
}

/// A trained classifier, already reset to its best epoch and in evaluation mode.
public struct TrainedClassifier {
    public let network: any ClassifierModel
    /// The epoch (1-based) with the highest test accuracy, whose weights the network holds.
    public let bestEpoch: Int
    /// Every epoch's record.
    public let epochs: [ClassifierEpoch]
}

/// Trains the classifier as evaluate.py's `train_and_evaluate_cls` (spec/calochallenge.md §5.3):
/// binary cross-entropy on logits, Adam, the training set reshuffled every epoch and cut into
/// batches of `batchSize` (the last one smaller); after every epoch the accuracy on the **test**
/// set is measured and the weights with the strictly highest test accuracy are kept; training
/// stops early when the test accuracy reaches exactly 1. The best weights are loaded back.
///
/// The network and each batch live on `device`; the sets stay where they are and are moved batch
/// by batch (evaluate.py's `--save_mem` behaviour). Weights, shuffles and dropout all draw from
/// `generator` (a CPU generator), so a seed fixes the run on any device.
///
/// - Parameters:
///   - onEpoch: called after every epoch (progress reporting; the library does not log).
///   - checkpointing: where to save the training state after every epoch and when to stop early;
///     with a state already there, training resumes after its last epoch and ends exactly as an
///     uninterrupted run (bit-identical on the CPU). Nil saves nothing.
/// - Throws: ``EvaluationError/invalidArgument(_:)`` for an invalid configuration,
///   ``EvaluationError/interrupted(resumeFrom:)`` when `checkpointing` asks to stop (the state of
///   the last epoch is saved), ``EvaluationError/cannotResume(path:reason:)`` for a saved state that
///   does not fit, or the engine's errors.
public func trainClassifier(
    _ split: ClassifierDataSplit, configuration: ClassifierConfiguration = .official, device: Device = .cpu,
    generator: Generator, checkpointing: ClassifierCheckpointing? = nil, onEpoch: ((ClassifierEpoch) -> Void)? = nil
) throws -> TrainedClassifier {
    try configuration.validate()
    let dropoutSeed = try Tensor.randint(0, Int(Int32.max), shape: [1], generator: generator).itemInt()
    let dropoutGenerator = try Generator(seed: UInt64(dropoutSeed), device: device)
    let network = try withDevice(device) {
        try configuration.architecture.makeNetwork(
            inputWidth: split.train.featureCount, dtype: configuration.dtype, generator: generator,
            dropoutGenerator: dropoutGenerator)
    }
    let optimizer = Adam(parameters: network.parameters(), learningRate: configuration.learningRate)
    var best: (accuracy: Double, epoch: Int, state: [String: Tensor]) = (-.infinity, 0, [:])
    var epochs: [ClassifierEpoch] = []
    let generators = ["training": generator, "dropout": dropoutGenerator]
    if let checkpointing, let saved = try checkpointing.restore(model: network, optimizer: optimizer, generators: generators) {
        epochs = saved.epochs
        best = (saved.bestAccuracy, saved.bestEpoch, saved.bestState)
    }
    let finished = epochs.count >= configuration.epochCount || epochs.last?.testAccuracy == 1
    for epoch in stride(from: epochs.count + 1, through: finished ? 0 : configuration.epochCount, by: 1) {
        network.train()
        let order = try Tensor.randperm(split.train.count, generator: generator)
        // Summed on the device and read once per epoch, so batches do not wait for the host.
        var lossSum = try Tensor.zeros([], dtype: configuration.dtype, device: device)
        var batches = 0
        for start in stride(from: 0, to: split.train.count, by: configuration.batchSize) {
            let length = Swift.min(configuration.batchSize, split.train.count - start)
            let index = try order.narrowed(dim: 0, start: start, length: length).to(split.train.device)
            let x = try split.train.rows(index).to(dtype: configuration.dtype, device: device)
            let y = try split.train.labels.indexSelect(dim: 0, index: index).to(dtype: configuration.dtype, device: device)
            let loss = try binaryCrossEntropyWithLogits(network(x), y.unsqueezed(1))
            try optimizer.zeroGrad()
            try loss.backward()
            try optimizer.step()
            lossSum = try lossSum + loss.detached()
            batches += 1
        }
        let accuracy = try classifierAccuracy(
            network, split.test, batchSize: configuration.batchSize, dtype: configuration.dtype, device: device)
        let record = ClassifierEpoch(epoch: epoch, trainingLoss: try lossSum.item() / Double(batches), testAccuracy: accuracy)
        epochs.append(record)
        onEpoch?(record)
        let improved = accuracy > best.accuracy
        if improved {
            best = (accuracy, epoch, try network.stateDict().mapValues { try $0.detached().cloned() })
        }
        if let checkpointing {
            try checkpointing.save(
                model: network, optimizer: optimizer, generators: generators, epochs: epochs,
                best: improved ? (best.epoch, best.accuracy, best.state) : (best.epoch, best.accuracy, nil))
        }
        if accuracy == 1 { break }
        if let checkpointing, epoch < configuration.epochCount, checkpointing.shouldStop() {
            throw EvaluationError.interrupted(resumeFrom: checkpointing.directory.path)
        }
    }
    try network.load(stateDict: best.state)
    network.eval()
    return TrainedClassifier(network: network, bestEpoch: best.epoch, epochs: epochs)
}

/// Sigmoid probabilities `[events]` (float64, on the CPU) of the network for every input row, in
/// evaluation mode and batches of `batchSize`, without recording gradients.
public func classifierProbabilities(
    _ network: any ClassifierModel, inputs: Tensor, batchSize: Int = 1000,
    dtype: DType = .float64, device: Device = .cpu
) throws -> Tensor {
    try classifierProbabilities(
        network, count: inputs.dim(0), batchSize: batchSize, dtype: dtype, device: device
    ) { try inputs.narrowed(dim: 0, start: $0, length: $1) }
}

/// Sigmoid probabilities `[events]` of the network for every event of `samples` (see
/// ``classifierProbabilities(_:inputs:batchSize:dtype:device:)``).
public func classifierProbabilities(
    _ network: any ClassifierModel, samples: LabelledSamples, batchSize: Int = 1000,
    dtype: DType = .float64, device: Device = .cpu
) throws -> Tensor {
    try classifierProbabilities(
        network, count: samples.count, batchSize: batchSize, dtype: dtype, device: device
    ) { try samples.rows(start: $0, length: $1) }
}

private func classifierProbabilities(
    _ network: any ClassifierModel, count: Int, batchSize: Int, dtype: DType, device: Device,
    rows: (_ start: Int, _ length: Int) throws -> Tensor
) throws -> Tensor {
    let wasTraining = network.isTraining
    network.eval()
    defer { network.train(wasTraining) }
    return try withNoGrad {
        var parts: [Tensor] = []
        for start in stride(from: 0, to: count, by: Swift.max(1, batchSize)) {
            let length = Swift.min(batchSize, count - start)
            let x = try rows(start, length).to(dtype: dtype, device: device)
            parts.append(try network(x).reshaped([-1]).sigmoid().to(dtype: .float64, device: .cpu))
        }
        return parts.isEmpty ? try Tensor.zeros([0], dtype: .float64) : try Tensor.cat(parts)
    }
}

/// Fraction of events whose rounded probability (half to even, as `np.round`) equals the label.
func classifierAccuracy(_ network: any ClassifierModel, _ samples: LabelledSamples, batchSize: Int, dtype: DType, device: Device)
    throws -> Double
{
    let probabilities = try classifierProbabilities(
        network, samples: samples, batchSize: batchSize, dtype: dtype, device: device)
    let labels = try samples.labels.to(dtype: .float64, device: .cpu)
    return try (probabilities.round() .== labels).to(dtype: .float64).mean().item()
}
