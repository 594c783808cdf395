import Foundation
import Testing
import Torch

/// torch.save files written by reference PyTorch (Fixtures/pickle/make_pickle_fixtures.py).
@Suite struct TorchPickleTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pickle")

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// A plain dict of tensors: every name, shape, dtype and value comes back.
    @Test func readsAPlainStateDict() throws {
        let tensors = try TorchPickle.load(Self.url("plain_state_dict.pth"))
        #expect(Set(tensors.keys) == ["layer.weight", "layer.bias", "steps"])
        let weight = try #require(tensors["layer.weight"])
        #expect(weight.shape == [2, 3])
        #expect(weight.dtype == .float32)
        #expect(try weight.toArray(Float.self) == [0, 1, 2, 3, 4, 5])
        #expect(try #require(tensors["layer.bias"]).toArray(Float.self) == [0.5, -0.5])
        let steps = try #require(tensors["steps"])
        #expect(steps.dtype == .int64 && steps.shape == [])
        #expect(try steps.itemInt() == 7)
    }

    /// Nested dicts and lists give dotted names (integer keys as digits); numbers, strings, None and
    /// Booleans are skipped.
    @Test func flattensNestedPlainContainers() throws {
        let tensors = try TorchPickle.load(Self.url("nested_checkpoint.pth"))
        #expect(
            Set(tensors.keys) == [
                "model_state_dict.layer.weight", "model_state_dict.layer.bias", "model_state_dict.steps",
                "optimizer_state_dict.state.0.exp_avg", "history.0",
            ])
        #expect(try #require(tensors["history.0"]).toArray(Float.self) == [1, 2])
        #expect(try #require(tensors["model_state_dict.layer.weight"]).toArray(Float.self) == [0, 1, 2, 3, 4, 5])
    }

    /// Every tensor of `tensors` equals the one under the same name in `expected`: dtype, shape and values.
    static func expectEqual(_ tensors: [String: Tensor], _ expected: [String: Tensor], _ file: String) throws {
        #expect(Set(tensors.keys) == Set(expected.keys), "\(file)")
        for (name, reference) in expected {
            let tensor = try #require(tensors[name], "\(file): \(name)")
            #expect(tensor.dtype == reference.dtype && tensor.shape == reference.shape, "\(file): \(name)")
            let values = try tensor.to(dtype: .float64).toArray(Double.self)
            #expect(values == (try reference.to(dtype: .float64).toArray(Double.self)), "\(file): \(name)")
        }
    }

    /// What `model.state_dict()` returns is an OrderedDict with `_metadata`, which LibTorch 2.11's unpickler
    /// alone rebuilds as None; after PickleRewrite every tensor equals the original (written as safetensors by
    /// the fixture script): a bare state dict (protocols 2 and 4), the reference CaloDiffusion checkpoint with
    /// its optimizer state, and OrderedDicts inside a list.
    @Test(arguments: [
        "sequential_state_dict", "sequential_state_dict_protocol4", "calodiffusion_checkpoint",
        "ordered_dicts_in_list",
    ])
    func anOrderedDictLoadsAsAPlainDict(_ name: String) throws {
        let tensors = try TorchPickle.load(Self.url(name + ".pth"))
        let expected = try Safetensors.load(Self.url(name + ".expected.safetensors")).tensors
        #expect(expected.count >= 3)
        try Self.expectEqual(tensors, expected, name)
    }

    @Test func theOrderedDictFixturesHoldWhatTheirNamesSay() throws {
        let checkpoint = try TorchPickle.load(Self.url("calodiffusion_checkpoint.pth"))
        #expect(try #require(checkpoint["model_state_dict.0.weight"]).shape == [4, 3])
        #expect(try #require(checkpoint["optimizer_state_dict.state.0.exp_avg"]).shape == [4, 3])
        let list = try TorchPickle.load(Self.url("ordered_dicts_in_list.pth"))
        #expect(try #require(list["1.b"]).toArray(Int32.self) == [3, 4])
        for name in ["state_dict.pth", "module_state_dict.pt"] {
            let tensors = try TorchPickle.load(Self.url(name))
            #expect(tensors.count == (name == "state_dict.pth" ? 3 : 2), "\(name)")
        }
        let state = try TorchPickle.load(Self.url("state_dict.pth"))
        #expect(try #require(state["layer.weight"]).toArray(Float.self) == [0, 1, 2, 3, 4, 5])
    }

    /// The CaloModels integrator fixture (an OrderedDict inside {"model_state_dict": …}) now loads, with the
    /// weights of the paper-layout safetensors under `model_state_dict.`.
    @Test func theCaloModelsOrderedDictFixtureLoads() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CaloModelsTests/Fixtures")
        let tensors = try TorchPickle.load(fixtures.appendingPathComponent("cpu-demo.ordered-dict.pth"))
        let weights = try Safetensors.load(fixtures.appendingPathComponent("cpu-demo.weights.safetensors")).tensors
        var expected: [String: Tensor] = [:]
        for (name, tensor) in weights { expected["model_state_dict." + name] = tensor }
        try Self.expectEqual(tensors, expected, "cpu-demo.ordered-dict.pth")
    }

    /// A zip whose data.pkl stops inside an opcode is named as damaged, with the opcode's offset.
    @Test func aTruncatedPickleIsNamedWithItsOffset() throws {
        let url = Self.url("truncated_pickle.pth")
        #expect(throws: TorchError.truncatedPickle(path: url.path, offset: 34)) { try TorchPickle.load(url) }
    }

    /// The text of the refusal for an OrderedDict the rewrite cannot handle gives the one-line re-save.
    @Test func theOrderedDictRefusalGivesTheResaveRecipe() {
        let text = TorchError.orderedDictInTorchSave(path: "a.pth").description
        #expect(text.contains("torch.save(dict(model.state_dict()), path)"))
    }

    @Test func aCustomClassIsRefusedByName() throws {
        let url = Self.url("custom_class.pth")
        #expect(throws: TorchError.nonTensorObject(path: url.path, type: "__main__.Opaque")) { try TorchPickle.load(url) }
        let text = TorchError.nonTensorObject(path: url.path, type: "__main__.Opaque").description
        #expect(text.contains("non-tensor object (__main__.Opaque)"))
        #expect(text.contains("torch.save(model.state_dict(), path)"))
    }

    @Test func aNumpyArrayIsRefusedByName() throws {
        let url = Self.url("numpy_array.pth")
        do {
            _ = try TorchPickle.load(url)
            Issue.record("a numpy array was accepted")
        } catch let TorchError.nonTensorObject(path, type) {
            #expect(path == url.path)
            #expect(type.hasPrefix("numpy."), "type: \(type)")
        }
    }

    /// LibTorch reads only the zip format (torch >= 1.6); the legacy format and other files are told apart.
    @Test func legacyAndForeignFilesAreToldApart() throws {
        let legacy = Self.url("legacy_format.pth")
        #expect(throws: TorchError.legacyTorchSave(path: legacy.path)) { try TorchPickle.load(legacy) }
        let text = Self.url("not_torch.pth")
        #expect(throws: TorchError.notTorchSave(path: text.path)) { try TorchPickle.load(text) }
        #expect(TorchPickle.isTorchSave(legacy))
        // A safetensors file whose header length starts with the byte 0x80 (pickle's PROTO) is not one.
        let safetensors = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: safetensors) }
        try Data([0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00] + Array("{}".utf8)).write(to: safetensors)
        #expect(!TorchPickle.isTorchSave(safetensors))
        #expect(throws: TorchError.notTorchSave(path: safetensors.path)) { try TorchPickle.load(safetensors) }
        do {
            _ = try TorchPickle.load(URL(fileURLWithPath: "/no/such/file.pth"))
            Issue.record("a missing file was read")
        } catch let TorchError.unreadableFile(path, _) {
            #expect(path == "/no/such/file.pth")
        }
    }

    /// A zip archive that is not a torch.save file fails in LibTorch with its own message.
    @Test func aZipThatIsNotTorchSaveFails() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-\(UUID().uuidString).pth")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 60)).write(to: url)
        do {
            _ = try TorchPickle.load(url)
            Issue.record("a broken zip was accepted")
        } catch let TorchError.operationFailed(op, _, message) {
            #expect(op.hasPrefix("pickle_load"))
            #expect(!message.isEmpty)
        }
    }

    /// Every handle the shim returned is owned by exactly one Tensor.
    /// Other suites run concurrently in this process and hold tensors at either reading, so the
    /// loads repeat 100 times and a few attempts are made: a leak moves the count by at least
    /// 100 on every attempt, concurrent tests by a handful.
    @Test func loadingLeaksNoTensor() throws {
        func loadAll() throws {
            do { _ = try TorchPickle.load(Self.url("nested_checkpoint.pth")) }
            do { _ = try TorchPickle.load(Self.url("calodiffusion_checkpoint.pth")) }
            _ = try? TorchPickle.load(Self.url("custom_class.pth"))
        }
        try loadAll()
        var deltas: [Int] = []
        for _ in 0..<5 {
            let before = Tensor.liveCount
            for _ in 0..<100 { try loadAll() }
            let after = Tensor.liveCount
            deltas.append(after - before)
            if after == before { break }
        }
        #expect(deltas.contains { Swift.abs($0) < 50 }, "live tensor count changed by \(deltas) over 100 loads")
    }
}
