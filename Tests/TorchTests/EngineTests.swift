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
}
