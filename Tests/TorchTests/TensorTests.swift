import Testing
import Torch
import _TestSupport

@Suite struct TensorTests {
    @Test func createsAndReadsBack() throws {
        let t = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        #expect(t.shape == [2, 3])
        #expect(t.dtype == .float32)
        #expect(try t.toArray(Float.self) == [1, 2, 3, 4, 5, 6])
        let s = try (t * 2 + 1).sum().item()
        #expect(s == 2 * 21 + 6)
    }
}
