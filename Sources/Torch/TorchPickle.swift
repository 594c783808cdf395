import CTorch
import Foundation

/// Reader for PyTorch `torch.save` files (`.pth`, `.pt`) through LibTorch's own unpickler
/// (`torch::jit::pickle_load`); CaloForge has no pickle code of its own.
///
/// Only tensors inside plain containers are read: dicts with string (or integer) keys and lists or tuples,
/// joined into dotted names (`{"model": {"conv.weight": t}}` → `model.conv.weight`, `[t0, t1]` → `0`, `1`).
/// Numbers, strings, Booleans and None are skipped. Anything else (a custom Python class, a numpy array) is
/// refused with ``TorchError/nonTensorObject(path:type:)``.
///
/// LibTorch 2.11's unpickler rebuilds `collections.OrderedDict` as None (pytorch/pytorch#100741), so a file
/// that holds `model.state_dict()` as returned (an OrderedDict) is first passed through `PickleRewrite`, which
/// turns its OrderedDicts into plain dicts in the pickle opcode stream; LibTorch then unpickles the result.
public enum TorchPickle {
    /// The four bytes that open a zip archive ("PK\u{3}\u{4}"), the torch.save format since torch 1.6.
    static let zipMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    /// The four bytes that open a legacy (non-zip) torch.save file: pickle PROTO 2, then LONG1 of 10 bytes
    /// (the start of its magic number). Checking one byte is not enough: a safetensors file whose header
    /// length starts with 0x80 would pass.
    static let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A]

    /// Whether the file at `url` looks like a torch.save file (zip or legacy format) by its first bytes; false
    /// for a file that cannot be read.
    public static func isTorchSave(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
        return head == zipMagic || head == legacyMagic
    }

    /// Every tensor in a torch.save file, under its dotted name, on the CPU.
    ///
    /// Throws ``TorchError/unreadableFile(path:reason:)`` for a file that cannot be read,
    /// ``TorchError/notTorchSave(path:)`` for a file that is no zip archive,
    /// ``TorchError/legacyTorchSave(path:)`` for the pre-1.6 format, ``TorchError/nonTensorObject(path:type:)``
    /// and ``TorchError/orderedDictInTorchSave(path:)`` for contents it refuses,
    /// ``TorchError/unknownPickleOpcode(path:opcode:offset:)`` and ``TorchError/truncatedPickle(path:offset:)``
    /// for a damaged pickle stream, and ``TorchError/operationFailed(op:shapes:message:)`` when LibTorch fails to
    /// parse the archive.
    public static func load(_ url: URL) throws -> [String: Tensor] {
        let path = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw TorchError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        let head = [UInt8](data.prefix(4))
        if head != zipMagic {
            if head == legacyMagic { throw TorchError.legacyTorchSave(path: path) }
            throw TorchError.notTorchSave(path: path)
        }
        let pickle = try record("data.pkl", of: data, path: path)
        let rewritten = try PickleRewrite.plainDicts(pickle, path: path)
        var refusal: Int32 = 0
        var detail = [CChar](repeating: 0, count: 512)
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var handles: UnsafeMutablePointer<OpaquePointer?>?
        var count: Int64 = 0
        try data.withUnsafeBytes { raw in
            try withPickleBytes(rewritten) { pickleBytes, pickleCount in
                try check(
                    ct_pickle_load(
                        raw.baseAddress, Int64(raw.count), pickleBytes, pickleCount, &refusal, &detail,
                        Int64(detail.count), &names, &handles, &count),
                    "pickle_load(\(path))")
            }
        }
        defer { ct_pickle_arrays_free(names, handles, count) }
        switch Int(refusal) {
        case Int(CT_PICKLE_FOREIGN_OBJECT):
            throw TorchError.nonTensorObject(path: path, type: String(cString: detail))
        case Int(CT_PICKLE_ORDERED_DICT):
            throw TorchError.orderedDictInTorchSave(path: path)
        default:
            break
        }
        var tensors: [String: Tensor] = [:]
        for index in 0..<Int(count) {
            // The shim returned one owned handle per entry; wrap each exactly once, even on a duplicate name.
            guard let handle = handles?[index] else { continue }
            let tensor = Tensor(owning: handle)
            guard let cName = names?[index] else { continue }
            tensors[String(cString: cName)] = tensor
        }
        return tensors
    }

    /// Calls `body` with the bytes of `pickle`, or with NULL (the zip's own data.pkl) when there is none.
    private static func withPickleBytes(
        _ pickle: [UInt8]?, _ body: (UnsafeRawPointer?, Int64) throws -> Void
    ) throws {
        guard let pickle else { return try body(nil, 0) }
        try pickle.withUnsafeBytes { try body($0.baseAddress, Int64($0.count)) }
    }

    /// The bytes of the record `name` (relative to the archive folder) of the torch.save zip `data`, read by
    /// LibTorch's `PyTorchStreamReader` (shim `ct_zip_record`).
    static func record(_ name: String, of data: Data, path: String) throws -> [UInt8] {
        var buffer: UnsafeMutableRawPointer?
        var length: Int64 = 0
        try data.withUnsafeBytes { raw in
            try check(ct_zip_record(raw.baseAddress, Int64(raw.count), name, &buffer, &length), "pickle_load(\(path))")
        }
        defer { ct_buffer_free(buffer) }
        guard let buffer else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: buffer, count: Int(length)))
    }
}
