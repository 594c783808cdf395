import Foundation
import Testing
import Torch
import _TestSupport

@Suite struct ErrorTests {
    @Test func shapeMismatchNamesBothShapesAndLeavesTheEngineUsable() throws {
        let a = try Tensor.ones([2, 3])
        let b = try Tensor.ones([4, 5])
        do {
            _ = try a + b
            Issue.record("adding [2, 3] and [4, 5] did not throw")
        } catch let error as TorchError {
            guard case let .operationFailed(op, shapes, message) = error else {
                Issue.record("expected operationFailed, got \(error)")
                return
            }
            #expect(op == "add")
            #expect(shapes == [[2, 3], [4, 5]])
            #expect(!message.isEmpty)
            #expect(error.description.contains("[2, 3]"))
            #expect(error.description.contains("[4, 5]"))
            #expect(error.description.hasPrefix("add failed for input shapes [2, 3] and [4, 5]: "))
            #expect(error.errorDescription == error.description)
        }
        // Ordinary work goes on after a failure.
        let c = try a + a
        #expect(try c.sum().item() == 12)
        #expect(try (b * 2).mean().item() == 2)
    }

    @Test func errorTextIsShortAndFreeOfBacktraces() throws {
        do {
            _ = try Tensor.ones([3]).matmul(Tensor.ones([4]))
            Issue.record("matmul of [3] and [4] did not throw")
        } catch let error as TorchError {
            let text = error.description
            #expect(text.hasPrefix("matmul failed for input shapes [3] and [4]: "))
            #expect(!text.contains("\n"))
            #expect(!text.contains("Exception raised from"))
        }
    }

    @Test func failuresOfSeveralKinds() throws {
        let x = try Tensor.ones([2, 3])
        #expect(throws: TorchError.self) { try x.reshaped([4]) }
        #expect(throws: TorchError.self) { try x.selecting(dim: 0, index: 5) }
        #expect(throws: TorchError.self) { try x.permuted([0]) }
        #expect(throws: TorchError.self) { try x.sum(dims: [3]) }
        #expect(throws: TorchError.self) { try x.item() }
        #expect(throws: TorchError.self) { try Tensor.cat([x, Tensor.ones([2, 3], dtype: .float64).reshaped([3, 2])], dim: 0) }
        #expect(throws: TorchError.self) { try x.indexSelect(dim: 0, index: tensor([0])) }  // float index
        #expect(throws: TorchError.invalidArgument("split: size must be positive, got 0")) { try x.split(size: 0) }
        #expect(throws: TorchError.invalidArgument("roll: 2 shifts for 1 dims")) { try x.rolled(shifts: [1, 2], dims: [0]) }
        #expect(throws: TorchError.invalidArgument("Tensor(_:shape:): 3 values do not fill shape [2, 2]")) {
            try Tensor([1, 2, 3] as [Double], shape: [2, 2])
        }
    }

    @Test func descriptionsOfEveryCase() {
        #expect(TorchError.operationFailed(op: "neg", shapes: [], message: "boom\nline two\nthree\nfour").description
            == "neg failed: boom line two three")
        #expect(TorchError.operationFailed(op: "exp", shapes: [[1]], message: "m").description == "exp failed for input shape [1]: m")
        let oom = TorchError.outOfMemory(op: "matmul", shapes: [[8, 8], [8, 8]], message: "CUDA out of memory").description
        #expect(oom.contains("[8, 8] and [8, 8]"))
        #expect(oom.contains("--batch-size"))
        let cuda = TorchError.cudaUnavailable(reason: "no driver").description
        #expect(cuda.contains("no driver"))
        #expect(cuda.contains("caloforge env"))
        let version = TorchError.versionMismatch(built: "2.11.0", runtime: "2.9.1").description
        #expect(version.contains("2.11.0") && version.contains("2.9.1"))
        #expect(TorchError.invalidArgument("bad").description == "bad")
        #expect(TorchError.safetensors(path: "/tmp/x", message: "is bad").description == "safetensors file /tmp/x: is bad")
    }

    @Test func hostOutOfMemoryIsReportedAsSuch() throws {
        // 1 PiB exceeds the x86-64/arm64 user address space, so no overcommit policy grants it.
        do {
            _ = try Tensor.empty([1 << 50], dtype: .uint8)
            Issue.record("allocating 1 PiB did not throw")
        } catch let error as TorchError {
            guard case let .outOfMemory(op, _, message) = error else {
                Issue.record("expected TorchError.outOfMemory, got \(error)")
                return
            }
            #expect(op == "empty")
            #expect(message.contains("1125899906842624 bytes"))
            #expect(error.description.contains("ran out of memory"))
            #expect(error.description.contains("--batch-size"))
        }
        #expect(try Tensor.ones([2]).sum().item() == 2)
    }

    // MARK: - CUDA on a machine without it

    private func expectCUDAUnavailable(_ what: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("\(what) did not throw")
        } catch let TorchError.cudaUnavailable(reason) {
            #expect(!reason.isEmpty, "\(what): empty reason")
        } catch {
            Issue.record("\(what) threw \(error), expected TorchError.cudaUnavailable")
        }
    }

    @Test(.enabled(if: !CUDA.isAvailable, "this machine has CUDA"))
    func cudaRequestsFailWithAReason() throws {
        expectCUDAUnavailable("Device.cuda(0).checkAvailable()") { try Device.cuda(0).checkAvailable() }
        expectCUDAUnavailable("Tensor.zeros on cuda:0") { _ = try Tensor.zeros([2], device: .cuda(0)) }
        expectCUDAUnavailable("Generator on cuda:0") { _ = try Generator(seed: 1, device: .cuda(0)) }
        expectCUDAUnavailable("Tensor.to(.cuda(0))") { _ = try Tensor.ones([2]).to(.cuda(0)) }
        var ran = false
        expectCUDAUnavailable("withDevice(.cuda(0))") { try withDevice(.cuda(0)) { ran = true } }
        #expect(!ran, "withDevice must not run its body when the device is unavailable")
        #expect(Device.current == .cpu)
        #expect(CUDA.deviceCount == 0)
        #expect(CUDA.unavailableReason?.isEmpty == false)
        // CPU work is unaffected.
        #expect(try Tensor.ones([2]).sum().item() == 2)
    }

    @Test(.enabled(if: CUDA.isAvailable, "CUDA is available"))
    func cudaDeviceBeyondTheCountIsRejected() throws {
        do {
            try Device.cuda(CUDA.deviceCount).checkAvailable()
            Issue.record("a device index past the count was accepted")
        } catch let TorchError.cudaUnavailable(reason) {
            #expect(reason.contains("cuda:\(CUDA.deviceCount)"))
        }
    }
}
