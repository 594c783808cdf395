import Testing
import Foundation

/// Runs the built `caloforge` binary (built alongside the tests) and returns its exit code and output.
func runCaloForge(_ arguments: [String]) throws -> (status: Int32, output: String) {
    try runProgram(caloForgeBinary, arguments)
}

@Suite struct CommandTests {
    @Test func helpListsCommands() throws {
        let (status, output) = try runCaloForge(["--help"])
        #expect(status == 0)
        #expect(output.contains("env"))
        #expect(output.contains("bench"))
        #expect(output.contains("calorimeter showers"))
    }

    @Test func envReportsEngine() throws {
        let (status, output) = try runCaloForge(["env", "--json"])
        #expect(status == 0, "\(output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(json["libtorchCompiled"] as? String == "2.11.0")
        #expect((json["libtorchRuntime"] as? String)?.hasPrefix("2.11.0") == true)
        #expect((json["cpuThreads"] as? Int ?? 0) >= 1)
        #expect(json["hdf5"] as? String != "unknown")
        if json["cudaAvailable"] as? Bool == false {
            #expect((json["cudaUnavailableReason"] as? String ?? "").isEmpty == false)
        }
    }

    @Test func badDeviceIsAClearError() throws {
        let (status, output) = try runCaloForge(["bench", "engine", "--device", "tpu"])
        #expect(status != 0)
        #expect(output.contains("The value 'tpu' is invalid for '--device <device>'"), "\(output)")
        #expect(output.contains("Please provide one of 'auto', 'cpu', 'cuda' or 'cuda:N'"), "\(output)")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CALOFORGE_HAS_CUDA"] == nil))
    func cudaOnCPUMachineIsAClearError() throws {
        let (status, output) = try runCaloForge(["bench", "engine", "--device", "cuda", "--batch", "1"])
        // Where CUDA exists this command succeeds; on CPU-only machines it must say why not.
        if status != 0 {
            #expect(output.contains("CUDA was requested but is not available"))
            #expect(output.contains("caloforge env"))
            #expect(!output.contains("Fatal error"))
        }
    }

    @Test func smallEngineBenchRuns() throws {
        let (status, output) = try runCaloForge(["bench", "engine", "--device", "cpu", "--tiny-iterations", "100", "--batch", "1", "--conv-iterations", "1", "--json"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("tinyOpMicroseconds"))
    }
}
