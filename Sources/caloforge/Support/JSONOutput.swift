import Foundation

/// The JSON the commands print (`--json`) and write beside their outputs (`OUTPUT.json`):
/// pretty-printed with sorted keys, so that two runs diff line by line.
enum JSONOutput {
    /// The encoded bytes of `value`.
    static func encoded<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }

    /// The encoded text of `value`, for standard output.
    static func text<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try encoded(value), as: UTF8.self)
    }

    /// Writes `value` to `path` atomically (a reader never sees half a file).
    static func write<Value: Encodable>(_ value: Value, to path: String) throws {
        try encoded(value).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
