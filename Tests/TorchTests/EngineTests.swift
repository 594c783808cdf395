import Testing
import Torch
import _TestSupport

@Suite struct EngineTests {
    @Test func versionsAgree() throws {
        #expect(Engine.compiledVersion == "2.11.0")
        try Engine.checkVersion()
        let runtime = try Engine.runtimeVersion()
        #expect(runtime.hasPrefix("2.11.0"))
    }

    @Test func threadCountIsPositiveAndValidated() throws {
        #expect(Engine.threadCount > 0)
        #expect(throws: TorchError.invalidArgument("thread count must be positive, got 0")) { try Engine.setThreadCount(0) }
    }

    @Test func cpuCacheReusesFreedLargeBlocks() throws {
        let before = try #require(Engine.cpuCacheStatistics)
        // 3 MiB blocks, an odd size no other test is likely to free concurrently in between.
        let count = 786_431
        for _ in 0..<4 {
            let x = try Tensor.zeros([count])
            #expect(try x.sum().item() == 0)  // reused memory is still zero-filled by zeros()
        }
        let after = try #require(Engine.cpuCacheStatistics)
        #expect(after.hits >= before.hits + 3)
        Engine.releaseCPUCache()
        let y = try Tensor.ones([count])
        #expect(try y.sum().item() == Double(count))
    }
}
