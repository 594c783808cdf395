import Foundation
import Testing
import Torch
import _TestSupport

/// A fresh, empty temporary folder for one test.
private func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-safetensors-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Raw safetensors bytes: the 8-byte little-endian header length, the header, the data.
private func rawFile(header: String, data: [UInt8] = [], headerLength: UInt64? = nil) -> Data {
    let json = Data(header.utf8)
    var length = (headerLength ?? UInt64(json.count)).littleEndian
    var file = Data()
    withUnsafeBytes(of: &length) { file.append(contentsOf: $0) }
    file.append(json)
    file.append(contentsOf: data)
    return file
}

/// The package root, three levels above this file (Tests/TorchTests/…).
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A python3 run that exited non-zero.
private struct PythonFailed: Error, CustomStringConvertible {
    var description: String
}

/// Runs `python3 -c script arguments…` with PYTHONPATH from CALOFORGE_PYTHONPATH (set by the
/// Makefile), or `<package root>/.deps/python`; returns standard output, throwing on a non-zero
/// exit. Output goes through files, not pipes, so a chatty child can never block on a full pipe.
private func runPython(_ script: String, _ arguments: [String]) throws -> String {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let outURL = folder.appendingPathComponent("stdout")
    let errURL = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    var environment = ProcessInfo.processInfo.environment
    let pythonPath = environment["CALOFORGE_PYTHONPATH"] ?? packageRoot.appendingPathComponent(".deps/python").path
    environment["PYTHONPATH"] = pythonPath
    process.environment = environment
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    guard process.terminationStatus == 0 else {
        let errors = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        throw PythonFailed(description: "python3 exited with \(process.terminationStatus) (PYTHONPATH=\(pythonPath)):\n\(errors)")
    }
    return try String(contentsOf: outURL, encoding: .utf8)
}

private let metadata: [String: String] = [
    "format": "pt",
    "config": #"{"sigma_data": 0.5, "layers": [1, 2]}"#,
    "note": "ünïcode ✓ with \"quotes\" and a / slash",
]

/// Tensors of every dtype the codec supports, with values exact in that dtype.
private func everyDType() throws -> [String: Tensor] {
    [
        "f64": try tensor([-1, -0.5, 0, 0.5, 1e-300, 1e300], [2, 3]),
        "f32": try Tensor([1.5, -2.25, 3e10] as [Float]),
        "f16": try Tensor([0.5, -1, 2, 65504] as [Double], shape: [2, 2]).to(dtype: .float16),
        "bf16": try tensor([1, -2.5, 256]).to(dtype: .bfloat16),
        "i64": try Tensor([-(1 << 40), 0, 7, Int64.max] as [Int64]),
        "i32": try Tensor([Int32.min, 123] as [Int32]),
        "u8": try Tensor([0, 128, 255] as [UInt8]),
        "bool": try Tensor([true, false, false, true], shape: [2, 2]),
        "scalar": try Tensor(scalar: 3.25, dtype: .float64),
        "empty": try Tensor.zeros([0, 3]),
    ]
}

@Suite struct SafetensorsTests {
    @Test func roundTripsEveryDTypeWithMetadata() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("all.safetensors")
        let written = try everyDType()
        try Safetensors.save(written, metadata: metadata, to: url)

        let file = try Safetensors.open(url)
        #expect(file.metadata == metadata)
        #expect(Set(file.names) == Set(written.keys))
        let (tensors, readMetadata) = try Safetensors.load(url)
        #expect(readMetadata == metadata)
        #expect(Set(tensors.keys) == Set(written.keys))
        for (name, original) in written {
            let read = try #require(tensors[name])
            #expect(read.dtype == original.dtype, "\(name)")
            #expect(read.shape == original.shape, "\(name)")
            #expect(try read.rawBytes() == original.rawBytes(), "\(name)")
            #expect(file.entries[name]?.dtype == original.dtype)
            #expect(file.entries[name]?.shape == original.shape)
        }
        #expect(try tensors["scalar"]!.shape == [] && tensors["scalar"]!.item() == 3.25)
        #expect(tensors["empty"]?.elementCount == 0)
        #expect(try tensors["i64"]!.toArray(Int64.self) == [-(1 << 40), 0, 7, Int64.max])
        #expect(try tensors["bf16"]!.toArray(Double.self) == [1, -2.5, 256])
        #expect(try tensors["bool"]!.toArray(Bool.self) == [true, false, false, true])
        #expect(try file.tensor("u8").toArray(UInt8.self) == [0, 128, 255])
    }

    @Test func encodedHeaderIsAlignedAndSorted() throws {
        let data = try Safetensors.encode(["b": tensor([1]), "a": tensor([2, 3])], metadata: ["k": "v"])
        let length = data.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
        #expect(length % 8 == 0)
        #expect(data.count == 8 + length + 24)
        let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any])
        let a = try #require(header["a"] as? [String: Any])
        let b = try #require(header["b"] as? [String: Any])
        #expect(a["data_offsets"] as? [Int] == [0, 16])
        #expect(b["data_offsets"] as? [Int] == [16, 24])
        #expect(a["dtype"] as? String == "F64")
        #expect(header["__metadata__"] as? [String: String] == ["k": "v"])
        #expect(throws: TorchError.self) { try Safetensors.encode(["__metadata__": tensor([1])]) }
    }

    @Test func savesViewsAndParametersAsPlainRowMajorData() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("views.safetensors")
        let transposed = try tensor([1, 2, 3, 4, 5, 6], [2, 3]).transposed(0, 1)
        let parameter = try tensor([0.5, -0.5]).requiringGrad()
        try Safetensors.save(["b.transposed": transposed, "a.parameter": parameter, "c.empty": Tensor.zeros([0])], to: url)
        let file = try Safetensors.open(url)
        #expect(file.names == ["a.parameter", "b.transposed", "c.empty"], "names in file order")
        #expect(file.metadata.isEmpty)
        let read = try file.tensor("b.transposed")
        #expect(read.shape == [3, 2])
        #expect(try read.toArray(Double.self) == [1, 4, 2, 5, 3, 6])
        let loaded = try file.tensor("a.parameter")
        #expect(!loaded.requiresGrad)
        #expect(try loaded.toArray(Double.self) == [0.5, -0.5])
        #expect(file.entries["c.empty"]?.offsets == 64..<64)
    }

    @Test func pythonReadsWhatSwiftWrites() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("from-swift.safetensors")
        var tensors = try everyDType()
        let bf16 = tensors.removeValue(forKey: "bf16")!  // numpy has no bfloat16: checked from the raw bytes below
        try Safetensors.save(tensors, metadata: metadata, to: url)
        let bf16URL = folder.appendingPathComponent("bf16.safetensors")
        try Safetensors.save(["bf16": bf16], to: bf16URL)

        let script = """
            import json, struct, sys
            from safetensors import safe_open
            from safetensors.numpy import load_file
            tensors = load_file(sys.argv[1])
            with safe_open(sys.argv[1], framework="numpy") as f:
                metadata = f.metadata()
            def text(v):
                return repr(float(v)) if isinstance(v, float) else str(int(v))
            report = {"metadata": metadata, "tensors": {
                k: {"dtype": str(a.dtype), "shape": list(a.shape), "values": [text(v) for v in a.reshape(-1).tolist()]}
                for k, a in tensors.items()}}
            raw = open(sys.argv[2], "rb").read()
            n = struct.unpack("<Q", raw[:8])[0]
            entry = json.loads(raw[8:8 + n])["bf16"]
            start, end = entry["data_offsets"]
            body = raw[8 + n + start:8 + n + end]
            bits = struct.unpack("<%dH" % (len(body) // 2), body)
            report["bf16"] = {"dtype": entry["dtype"], "shape": entry["shape"],
                              "values": [repr(struct.unpack("<f", struct.pack("<I", b << 16))[0]) for b in bits]}
            print(json.dumps(report))
            """
        let output = try runPython(script, [url.path, bf16URL.path])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(report["metadata"] as? [String: String] == metadata)
        let read = try #require(report["tensors"] as? [String: [String: Any]])
        #expect(Set(read.keys) == Set(tensors.keys))
        let expectedTypes = [
            "f64": "float64", "f32": "float32", "f16": "float16", "i64": "int64", "i32": "int32", "u8": "uint8", "bool": "bool",
            "scalar": "float64", "empty": "float32",
        ]
        for (name, original) in tensors {
            let entry = try #require(read[name], "\(name) missing in Python")
            #expect(entry["dtype"] as? String == expectedTypes[name], "\(name)")
            #expect(entry["shape"] as? [Int] == original.shape, "\(name)")
            let values = try #require(entry["values"] as? [String])
            if original.dtype.isFloatingPoint {
                #expect(values.map { Double($0) } == (try original.toArray(Double.self)), "\(name)")
            } else {
                #expect(values.map { Int64($0) } == (try original.toArray(Int64.self)), "\(name)")
            }
        }
        let rawBF16 = try #require(report["bf16"] as? [String: Any])
        #expect(rawBF16["dtype"] as? String == "BF16")
        #expect(rawBF16["shape"] as? [Int] == [3])
        #expect((rawBF16["values"] as? [String])?.map { Double($0) } == [1, -2.5, 256])
    }

    @Test func swiftReadsWhatPythonWrites() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("from-python.safetensors")
        let script = """
            import sys
            import numpy as np
            from safetensors import serialize_file
            from safetensors.numpy import save_file
            save_file({
                "f64": np.array([[0.1, -2.0], [3.5, 1e-300]], dtype=np.float64),
                "f32": np.array([1.25, -7.0, 1e20], dtype=np.float32),
                "f16": np.array([0.5, -0.25, 1024.0], dtype=np.float16),
                "i64": np.array([[-9007199254740993, 5]], dtype=np.int64),
                "i32": np.array([2147483647, -3], dtype=np.int32),
                "u8": np.array([1, 2, 250], dtype=np.uint8),
                "bool": np.array([False, True, True]),
                "scalar": np.array(-4.5, dtype=np.float64),
                "empty": np.zeros((2, 0), dtype=np.int32),
            }, sys.argv[1], metadata={"written_by": "python", "epoch": "12"})
            bits = np.array([1.0, -3.0, 0.15625], dtype=np.float32).view(np.uint32) >> 16
            serialize_file({"bf16": {"dtype": "bfloat16", "shape": [3], "data": bits.astype("<u2").tobytes()}},
                           sys.argv[2], metadata={"kind": "bf16"})
            """
        let bf16URL = folder.appendingPathComponent("bf16.safetensors")
        _ = try runPython(script, [url.path, bf16URL.path])
        let (tensors, readMetadata) = try Safetensors.load(url)
        #expect(readMetadata == ["written_by": "python", "epoch": "12"])
        #expect(Set(tensors.keys) == ["f64", "f32", "f16", "i64", "i32", "u8", "bool", "scalar", "empty"])
        func check(_ name: String, _ dtype: DType, _ shape: [Int]) throws -> Tensor {
            let t = try #require(tensors[name])
            #expect(t.dtype == dtype, "\(name)")
            #expect(t.shape == shape, "\(name)")
            return t
        }
        #expect(try check("f64", .float64, [2, 2]).toArray(Double.self) == [0.1, -2, 3.5, 1e-300])
        #expect(try check("f32", .float32, [3]).toArray(Float.self) == [1.25, -7, 1e20])
        #expect(try check("f16", .float16, [3]).toArray(Double.self) == [0.5, -0.25, 1024])
        #expect(try check("i64", .int64, [1, 2]).toArray(Int64.self) == [-9_007_199_254_740_993, 5])
        #expect(try check("i32", .int32, [2]).toArray(Int32.self) == [Int32.max, -3])
        #expect(try check("u8", .uint8, [3]).toArray(UInt8.self) == [1, 2, 250])
        #expect(try check("bool", .bool, [3]).toArray(Bool.self) == [false, true, true])
        #expect(try check("scalar", .float64, []).item() == -4.5)
        #expect(try check("empty", .int32, [2, 0]).elementCount == 0)
        let bf16File = try Safetensors.open(bf16URL)
        #expect(bf16File.metadata == ["kind": "bf16"])
        let bf16 = try bf16File.tensor("bf16")
        #expect(bf16.dtype == .bfloat16)
        #expect(try bf16.toArray(Double.self) == [1, -3, 0.15625])
    }

    // MARK: - errors

    /// Writes `data`, opens it, and returns the thrown error's description after checking that it
    /// is a `TorchError.safetensors` naming this file.
    private func openingFails(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("broken.safetensors")
        try data.write(to: url)
        do {
            _ = try Safetensors.load(url)
        } catch let error as TorchError {
            guard case let .safetensors(path, _) = error else {
                Issue.record("expected TorchError.safetensors, got \(error)", sourceLocation: sourceLocation)
                return ""
            }
            #expect(path == url.path, sourceLocation: sourceLocation)
            #expect(error.description.contains(url.path), "description names the file: \(error)", sourceLocation: sourceLocation)
            return error.description
        }
        Issue.record("opening a broken file did not throw", sourceLocation: sourceLocation)
        return ""
    }

    private let goodHeader = #"{"x":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#

    @Test func truncatedFile() throws {
        let whole = rawFile(header: goodHeader, data: [UInt8](repeating: 0, count: 16))
        #expect(try openingFails(whole.prefix(whole.count - 5)).contains("outside the 11-byte data section"))
        #expect(try openingFails(whole.prefix(5)).contains("5 bytes long, too short"))
        #expect(try openingFails(Data()).contains("0 bytes long"))
    }

    @Test func headerLengthBeyondFileSize() throws {
        let data = rawFile(header: goodHeader, data: [UInt8](repeating: 0, count: 16), headerLength: 1_000)
        let message = try openingFails(data)
        #expect(message.contains("header length 1000 exceeds the file size"))
        let huge = rawFile(header: goodHeader, data: [], headerLength: UInt64.max)
        #expect(try openingFails(huge).contains("header length"))
    }

    @Test func nonJSONHeader() throws {
        #expect(try openingFails(rawFile(header: "this is not json", data: [1, 2])).contains("header is not a JSON object"))
        #expect(try openingFails(rawFile(header: "[1, 2, 3]")).contains("header is not a JSON object"))
    }

    @Test func unknownDType() throws {
        let header = #"{"x":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#
        let message = try openingFails(rawFile(header: header, data: [UInt8](repeating: 0, count: 8)))
        #expect(message.contains("'x' has dtype C64"))
    }

    @Test func offsetsOutOfRange() throws {
        let beyond = #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
        #expect(try openingFails(rawFile(header: beyond, data: [UInt8](repeating: 0, count: 8))).contains("data_offsets [8, 16] outside"))
        let reversed = #"{"x":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#
        #expect(try openingFails(rawFile(header: reversed, data: [UInt8](repeating: 0, count: 8))).contains("data_offsets [4, 0]"))
        let negative = #"{"x":{"dtype":"U8","shape":[2],"data_offsets":[-2,0]}}"#
        #expect(try openingFails(rawFile(header: negative, data: [0, 0])).contains("data_offsets [-2, 0]"))
    }

    @Test func wrongByteCount() throws {
        let header = #"{"x":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#
        let message = try openingFails(rawFile(header: header, data: [UInt8](repeating: 0, count: 16)))
        #expect(message.contains("needs 16 bytes but has 12"))
    }

    @Test func impossibleShapes() throws {
        // Negative sizes whose product still matches the byte count must not slip through.
        let negative = #"{"x":{"dtype":"F32","shape":[-2,-2],"data_offsets":[0,16]}}"#
        #expect(try openingFails(rawFile(header: negative, data: [UInt8](repeating: 0, count: 16))).contains("shape [-2, -2]"))
        // Sizes whose byte count overflows must throw, not trap.
        let huge = #"{"x":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,16]}}"#
        #expect(try openingFails(rawFile(header: huge, data: [UInt8](repeating: 0, count: 16))).contains("shape [4294967296, 4294967296, 16]"))
    }

    @Test func malformedEntriesAndMetadata() throws {
        let noShape = #"{"x":{"dtype":"F32","data_offsets":[0,4]}}"#
        #expect(try openingFails(rawFile(header: noShape, data: [0, 0, 0, 0])).contains("lacks dtype, shape or data_offsets"))
        let badMetadata = #"{"__metadata__":{"epoch":3}}"#
        #expect(try openingFails(rawFile(header: badMetadata)).contains("metadata value for 'epoch' is not a string"))
    }

    @Test func missingFileAndMissingTensor() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("does-not-exist.safetensors")
        do {
            _ = try Safetensors.open(url)
            Issue.record("opening a missing file did not throw")
        } catch let error as TorchError {
            guard case .safetensors(let path, let message) = error else { throw error }
            #expect(path == url.path)
            #expect(message.contains("cannot be read"))
            #expect(error.description.contains(url.path))
        }
        let good = folder.appendingPathComponent("good.safetensors")
        try Safetensors.save(["a": tensor([1])], to: good)
        let file = try Safetensors.open(good)
        #expect(throws: TorchError.safetensors(path: good.path, message: "no tensor named 'b' (file has 1 tensors)")) {
            try file.tensor("b")
        }
        let unwritable = folder.appendingPathComponent("no-such-folder/x.safetensors")
        #expect(throws: TorchError.self) { try Safetensors.save(["a": tensor([1])], to: unwritable) }
    }
}
