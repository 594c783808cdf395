import CaloData
import Foundation
import Testing
import Torch
import TorchNN
import _TestSupport

@testable import CaloEval

/// The cls-resnet network against the official resnet.py (Fixtures/make_resnet_fixture.py).
@Suite struct ResNetClassifierTests {
    struct Structure: Decodable {
        let keys: [[Shape]]
        let trainable: Int

        enum Shape: Decodable {
            case key(String)
            case shape([Int])

            init(from decoder: Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let key = try? container.decode(String.self) { self = .key(key) } else { self = .shape(try container.decode([Int].self)) }
            }
        }

        /// "key [shape]" lines, sorted.
        var lines: [String] {
            keys.compactMap { pair -> String? in
                guard pair.count == 2, case .key(let key) = pair[0], case .shape(let shape) = pair[1] else { return nil }
                return "\(key) \(shape)"
            }.sorted()
        }
    }

    struct Golden: Decodable {
        let resnet18_ds2: Structure
        let resnet50_ds3: Structure
        let resnet18_ds3_trainable: Int
        let resnet10_small_parameter_order: [String]
    }

    let golden: Golden

    init() throws {
        golden = try JSONDecoder().decode(
            Golden.self, from: Data(contentsOf: URL(fileURLWithPath: TestFixtures.path("resnet_golden.json"))))
    }

    func lines(_ network: Module) -> [String] {
        network.stateDict().map { "\($0.key) \($0.value.shape)" }.sorted()
    }

    func trainable(_ network: Module) -> Int { network.parameters().reduce(0) { $0 + $1.elementCount } }

    @Test func keysAndShapesEqualTheReference() throws {
        let generator = try Generator(seed: 1)
        let ds2 = try ResNetClassifierNetwork(depth: 18, imageShape: [45, 16, 9], dtype: .float32, generator: generator)
        #expect(lines(ds2) == golden.resnet18_ds2.lines)
        #expect(trainable(ds2) == golden.resnet18_ds2.trainable)
        #expect(trainable(ds2) == 2_516_644)
        let ds3 = try ResNetClassifierNetwork(depth: 50, imageShape: [45, 50, 18], dtype: .float32, generator: generator)
        #expect(lines(ds3) == golden.resnet50_ds3.lines)
        #expect(trainable(ds3) == golden.resnet50_ds3.trainable)
    }

    /// Weights set by the fixture's formula; logits in training mode (batch statistics), the running
    /// statistics that pass leaves, and logits in evaluation mode, all equal the reference's.
    @Test func forwardEqualsTheReference() throws {
        let network = try ResNetClassifierNetwork(depth: 10, imageShape: [9, 4, 3], dtype: .float64, generator: Generator(seed: 2))
        let parameters = Dictionary(uniqueKeysWithValues: network.namedParameters().map { ($0.key, $0.tensor) })
        try withNoGrad {
            for (k, key) in golden.resnet10_small_parameter_order.enumerated() {
                let parameter = try #require(parameters[key], "no parameter \(key)")
                let i = try Tensor.arange(0, Double(parameter.elementCount), dtype: .float64)
                try parameter.copy_((try (i * 0.37 + Double(k)).sin() * 0.05).reshaped(parameter.shape))
            }
        }
        #expect(golden.resnet10_small_parameter_order.count == parameters.count)
        let fixture = try Safetensors.load(URL(fileURLWithPath: TestFixtures.path("resnet_forward.safetensors"))).tensors
        let input = try #require(fixture["input"])
        network.train()
        let trainLogits = try network(input)
        let check = try allClose(trainLogits, #require(fixture["train_logits"]), rtol: 1e-9, atol: 1e-12)
        #expect(check.ok, "\(check.message)")
        let state = network.stateDict()
        for (key, value) in fixture where key.hasPrefix("after_train.") {
            let name = String(key.dropFirst("after_train.".count))
            let ours = try #require(state[name], "no buffer \(name)")
            let close = try allClose(ours.to(dtype: .float64), value, rtol: 1e-9, atol: 1e-12)
            #expect(close.ok, "\(name): \(close.message)")
        }
        network.eval()
        let evalCheck = try allClose(try network(input), #require(fixture["eval_logits"]), rtol: 1e-9, atol: 1e-12)
        #expect(evalCheck.ok, "\(evalCheck.message)")
    }

    @Test func convolutionWeightsAreKaimingNormalFanOut() throws {
        let network = try ResNetClassifierNetwork(depth: 18, imageShape: [45, 16, 9], dtype: .float64, generator: Generator(seed: 3))
        // layer1.0.conv1: 32 × 32 × 3³ → std √(2 / (32 · 27)).
        let weight = network.layer1.layers[0] as? ResNetBlock
        let values = try #require(weight).conv1.weight
        let std = (try (values * values).mean().item()).squareRoot()
        #expect(abs(std - (2.0 / (32 * 27)).squareRoot()) < 0.02 * (2.0 / (32 * 27)).squareRoot())
    }

    @Test func badDepthAndInputWidthAreRefused() throws {
        #expect(throws: EvaluationError.unsupportedResNetDepth(19)) {
            try ResNetClassifierNetwork(depth: 19, imageShape: [45, 16, 9], generator: Generator(seed: 0))
        }
        #expect(EvaluationError.unsupportedResNetDepth(19).description.contains("10, 18, 34, 50, 101, 152, 200"))
        let architecture = ResNetClassifierArchitecture(imageShape: [45, 16, 9])
        #expect(throws: EvaluationError.self) {
            try architecture.makeNetwork(inputWidth: 369, dtype: .float32, generator: Generator(seed: 0), dropoutGenerator: Generator(seed: 0))
        }
    }

    @Test func batchNormStateHasPyTorchKeys() throws {
        let layer = try BatchNorm(3)
        #expect(Set(layer.stateDict().keys) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        #expect(layer.parameters().count == 2)
        _ = try layer(Tensor.randn([4, 3], generator: Generator(seed: 0)))
        #expect(try layer.numBatchesTracked.itemInt() == 1)
    }
}

/// cls-low-normed rows against evaluate.py's `prepare_low_data_for_classifier(normed=True)`
/// (Fixtures/make_classifier_fixtures.py).
@Suite struct LowLevelNormedInputTests {
    @Test func rowsEqualTheOfficialOnes() throws {
        let reader = try CaloChallengeReader(path: TestFixtures.path("ds2-reference.h5"))
        let geometry = reader.geometry
        let threshold = try ReadoutThreshold.official(for: geometry)
        let count = 3
        let raw = try reader.showers(0..<count)
        let cut = raw.map { $0 < Float(threshold.energy) ? 0 : $0 }
        let energies = try reader.incidentEnergies(0..<count)
        let features = try HighLevelFeatures(showers: cut, incidentEnergies: energies, geometry: geometry)
        let layerEnergies = (0..<count).flatMap { event in features.layers.map { $0.energy[event] } }
        let rows = try ClassifierInputs.lowLevelNormed(
            showers: Tensor(raw, shape: [count, geometry.voxelCount]), incidentEnergies: Tensor(energies, shape: [count, 1]),
            layerEnergies: Tensor(layerEnergies, shape: [count, features.layers.count]), geometry: geometry)
        let golden = try #require(
            try Safetensors.load(URL(fileURLWithPath: TestFixtures.path("low_normed_rows.safetensors"))).tensors["rows"])
        #expect(rows.shape == [3, 6526])
        let check = try allClose(rows, golden, rtol: 1e-5, atol: 1e-12)
        #expect(check.ok, "\(check.message)")
    }

    @Test func mismatchedLayerEnergiesAreRefused() throws {
        let geometry = Geometry.ds2
        #expect(throws: EvaluationError.self) {
            try ClassifierInputs.lowLevelNormed(
                showers: Tensor.zeros([2, geometry.voxelCount]), incidentEnergies: Tensor.ones([2, 1]),
                layerEnergies: Tensor.zeros([2, 3]), geometry: geometry)
        }
    }
}
