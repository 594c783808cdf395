import Foundation

/// Reader and writer for the safetensors format: an 8-byte little-endian header length, a JSON
/// header (`{"name": {"dtype", "shape", "data_offsets"}, "__metadata__": {…}}`) and the raw
/// little-endian tensor bytes. Files written here are readable by Python's `safetensors`, and
/// the reverse. Pure Swift: the codec is not engine work.
public enum Safetensors {
    /// One stored tensor's description.
    public struct Entry: Equatable, Sendable {
        public var dtype: DType
        public var shape: [Int]
        /// Byte range inside the data section.
        public var offsets: Range<Int>
    }

    /// A parsed file: its entries, metadata, and the mapped bytes they point into.
    public struct File {
        public let path: String
        public let entries: [String: Entry]
        public let metadata: [String: String]
        let data: Data
        let dataStart: Int

        /// Tensor names in file order (by offset).
        public var names: [String] { entries.sorted { $0.value.offsets.lowerBound < $1.value.offsets.lowerBound }.map(\.key) }

        /// Materialises one tensor on the CPU.
        public func tensor(_ name: String) throws -> Tensor {
            guard let entry = entries[name] else {
                throw TorchError.safetensors(path: path, message: "no tensor named '\(name)' (file has \(entries.count) tensors)")
            }
            let start = dataStart + entry.offsets.lowerBound
            return try data.withUnsafeBytes { raw in
                let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + entry.offsets.count)])
                return try Tensor.fromBytes(slice, shape: entry.shape, dtype: entry.dtype)
            }
        }

        /// Every tensor, by name.
        public func tensors() throws -> [String: Tensor] {
            var result: [String: Tensor] = [:]
            for name in entries.keys { result[name] = try tensor(name) }
            return result
        }
    }

    static func code(_ dtype: DType) -> String {
        switch dtype {
        case .float64: return "F64"
        case .float32: return "F32"
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .int64: return "I64"
        case .int32: return "I32"
        case .uint8: return "U8"
        case .bool: return "BOOL"
        }
    }

    static func dtype(_ code: String) -> DType? {
        DType.allCases.first { Self.code($0) == code }
    }

    /// Opens and validates a file; tensor bytes are memory-mapped, not copied.
    public static func open(_ url: URL) throws -> File {
        let path = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw TorchError.safetensors(path: path, message: "cannot be read (\(error.localizedDescription)); check the path")
        }
        func fail(_ message: String) -> TorchError { .safetensors(path: path, message: message) }
        guard data.count >= 8 else { throw fail("is \(data.count) bytes long, too short for a header") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | (UInt64($1.element) << (8 * UInt64($1.offset))) }
        guard headerLength <= UInt64(data.count - 8), headerLength < 100_000_000 else {
            throw fail("header length \(headerLength) exceeds the file size \(data.count); the file is truncated or not safetensors")
        }
        let dataStart = 8 + Int(headerLength)
        let header = data.subdata(in: 8..<dataStart)
        guard let object = try? JSONSerialization.jsonObject(with: header), let json = object as? [String: Any] else {
            throw fail("header is not a JSON object; the file is not safetensors")
        }
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        let dataLength = data.count - dataStart
        for (name, value) in json {
            if name == "__metadata__" {
                guard let dict = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (k, v) in dict {
                    guard let s = v as? String else { throw fail("metadata value for '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any], let code = info["dtype"] as? String,
                let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else { throw fail("entry '\(name)' lacks dtype, shape or data_offsets") }
            guard let dtype = dtype(code) else {
                throw fail("entry '\(name)' has dtype \(code); supported: F64, F32, F16, BF16, I64, I32, U8, BOOL")
            }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataLength else {
                throw fail("entry '\(name)' has data_offsets \(offsets) outside the \(dataLength)-byte data section")
            }
            // Checked arithmetic: a corrupt header must throw, not trap on overflow.
            let byteCount = shape.reduce(Optional(dtype.elementSize)) { product, size in
                guard let product, size >= 0 else { return nil }
                let (result, overflow) = product.multipliedReportingOverflow(by: size)
                return overflow ? nil : result
            }
            guard let expected = byteCount else {
                throw fail("entry '\(name)' has shape \(shape), which has a negative size or too many elements")
            }
            guard offsets[1] - offsets[0] == expected else {
                throw fail("entry '\(name)' of shape \(shape) and dtype \(code) needs \(expected) bytes but has \(offsets[1] - offsets[0])")
            }
            entries[name] = Entry(dtype: dtype, shape: shape, offsets: offsets[0]..<offsets[1])
        }
        return File(path: path, entries: entries, metadata: metadata, data: data, dataStart: dataStart)
    }

    /// Reads every tensor and the metadata of a file.
    public static func load(_ url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let file = try open(url)
        return (try file.tensors(), file.metadata)
    }

    /// Encodes tensors (moved to the CPU) and string metadata into safetensors bytes.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        var blobs: [[UInt8]] = []
        var offset = 0
        for name in tensors.keys.sorted() {
            guard name != "__metadata__" else { throw TorchError.invalidArgument("'__metadata__' cannot name a tensor") }
            let tensor = tensors[name]!
            let bytes = try tensor.rawBytes()
            header[name] = ["dtype": code(tensor.dtype), "shape": tensor.shape, "data_offsets": [offset, offset + bytes.count]] as [String: Any]
            offset += bytes.count
            blobs.append(bytes)
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var data = Data(capacity: 8 + json.count + offset)
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(json)
        for blob in blobs { data.append(contentsOf: blob) }
        return data
    }

    /// Writes a file atomically: a temporary file beside the target, then a rename, so a reader
    /// never sees a half-written checkpoint.
    public static func save(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        let data = try encode(tensors, metadata: metadata)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw TorchError.safetensors(path: url.path, message: "cannot be written (\(error.localizedDescription)); check the folder exists and is writable")
        }
    }
}
