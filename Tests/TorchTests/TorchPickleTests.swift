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

    /// What `model.state_dict()` returns is an OrderedDict, which LibTorch 2.11's unpickler turns into None;
    /// the error says how to re-save the file.
    @Test func anOrderedDictIsRefusedWithTheResaveRecipe() throws {
        for name in ["state_dict.pth", "module_state_dict.pt"] {
            let path = Self.url(name).path
            #expect(throws: TorchError.orderedDictInTorchSave(path: path)) { try TorchPickle.load(Self.url(name)) }
        }
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
    @Test func loadingLeaksNoTensor() throws {
        let before = Tensor.liveCount
        do { _ = try TorchPickle.load(Self.url("nested_checkpoint.pth")) }
        _ = try? TorchPickle.load(Self.url("custom_class.pth"))
        #expect(Tensor.liveCount == before)
    }
}
