import CHDF5
import Foundation

/// Runs an HDF5 call and turns a negative result into a thrown error carrying HDF5's error stack.
@discardableResult
func hdf5Check<T: BinaryInteger>(_ result: T, path: String, dataset: String? = nil, _ operation: String) throws -> T {
    if result >= 0 { return result }
    var buffer = [CChar](repeating: 0, count: 1024)
    chdf5_error_text(&buffer, buffer.count)
    let detail = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    throw CaloDataError.hdf5(path: path, dataset: dataset, operation: operation, detail: detail.isEmpty ? "unknown HDF5 error" : detail)
}

/// An open HDF5 file; closes its handle in `deinit`. HDF5's automatic error printing is off; its
/// error stack becomes thrown ``CaloDataError/hdf5(path:dataset:operation:detail:)`` errors.
public final class HDF5File {
    public let path: String
    let id: hid_t

    public enum Mode: Sendable {
        case readOnly
        case readWrite
        /// Creates the file, replacing any existing one.
        case create
    }

    public init(_ path: String, mode: Mode = .readOnly) throws {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        chdf5_silence_errors()
        self.path = path
        switch mode {
        case .readOnly, .readWrite:
            guard FileManager.default.fileExists(atPath: path) else { throw CaloDataError.fileNotFound(path: path) }
            guard H5Fis_hdf5(path) > 0 else { throw CaloDataError.notHDF5(path: path) }
            let flags = mode == .readOnly ? chdf5_acc_rdonly() : chdf5_acc_rdwr()
            id = try hdf5Check(H5Fopen(path, flags, chdf5_p_default()), path: path, "open")
        case .create:
            id = try hdf5Check(H5Fcreate(path, chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default()), path: path, "create")
        }
    }

    deinit { HDF5Serial.lock.withLock { _ = H5Fclose(id) } }

    /// Writes buffered data to disk.
    public func flush() throws {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        try hdf5Check(H5Fflush(id, H5F_SCOPE_GLOBAL), path: path, "flush")
    }

    /// Whether a dataset (or group) of this name exists at the root.
    public func contains(_ name: String) -> Bool {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        return H5Lexists(id, name, chdf5_p_default()) > 0
    }

    /// Opens an existing 2-D (or 1-D) dataset.
    public func dataset(_ name: String) throws -> HDF5Dataset {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        guard contains(name) else { throw CaloDataError.missingDataset(path: path, dataset: name) }
        let handle = try hdf5Check(H5Dopen2(id, name, chdf5_p_default()), path: path, dataset: name, "open dataset")
        return try HDF5Dataset(file: self, name: name, id: handle)
    }

    /// Creates a float32 (or float64) dataset of `columns` columns that grows by rows, chunked
    /// (`chunkRows` rows per chunk) and gzip-compressed (level 0 switches compression off).
    public func createDataset(_ name: String, columns: Int, rows: Int = 0, dtype: HDF5Dataset.ElementType = .float32,
                              chunkRows: Int = 0, gzipLevel: Int = 4) throws -> HDF5Dataset {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        var dims: [hsize_t] = [hsize_t(rows), hsize_t(columns)]
        var maxDims: [hsize_t] = [chdf5_unlimited(), hsize_t(columns)]
        let space = try hdf5Check(H5Screate_simple(2, &dims, &maxDims), path: path, dataset: name, "create dataspace")
        defer { H5Sclose(space) }
        let properties = try hdf5Check(H5Pcreate(chdf5_p_dataset_create()), path: path, dataset: name, "create properties")
        defer { H5Pclose(properties) }
        // Chunks of about 1 MiB unless asked otherwise: small enough to stream, large enough to compress.
        let rowsPerChunk = chunkRows > 0 ? chunkRows : Swift.max(1, Swift.min(1024, (1 << 20) / Swift.max(columns * 4, 1)))
        var chunk: [hsize_t] = [hsize_t(rowsPerChunk), hsize_t(Swift.max(columns, 1))]
        try hdf5Check(H5Pset_chunk(properties, 2, &chunk), path: path, dataset: name, "set chunking")
        if gzipLevel > 0 {
            try hdf5Check(H5Pset_deflate(properties, UInt32(gzipLevel)), path: path, dataset: name, "set gzip")
        }
        let fileType = dtype == .float32 ? chdf5_ieee_f32le() : chdf5_ieee_f64le()
        let handle = try hdf5Check(
            H5Dcreate2(id, name, fileType, space, chdf5_p_default(), properties, chdf5_p_default()), path: path, dataset: name, "create dataset")
        return try HDF5Dataset(file: self, name: name, id: handle)
    }

    /// Writes (or replaces) a string attribute on the root group.
    public func setAttribute(_ name: String, _ value: String) throws {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        if H5Aexists(id, name) > 0 { try hdf5Check(H5Adelete(id, name), path: path, "delete attribute \(name)") }
        let type = try hdf5Check(H5Tcopy(chdf5_c_s1()), path: path, "copy string type")
        defer { H5Tclose(type) }
        let bytes = Array(value.utf8)
        try hdf5Check(H5Tset_size(type, Swift.max(bytes.count, 1)), path: path, "set string size")
        let space = try hdf5Check(H5Screate(H5S_SCALAR), path: path, "create scalar space")
        defer { H5Sclose(space) }
        let attribute = try hdf5Check(H5Acreate2(id, name, type, space, chdf5_p_default(), chdf5_p_default()), path: path, "create attribute \(name)")
        defer { H5Aclose(attribute) }
        let padded = bytes.isEmpty ? [UInt8(0)] : bytes
        try hdf5Check(H5Awrite(attribute, type, padded), path: path, "write attribute \(name)")
    }

    /// Reads a string attribute of the root group, or nil when absent.
    public func attribute(_ name: String) throws -> String? {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        guard H5Aexists(id, name) > 0 else { return nil }
        let attribute = try hdf5Check(H5Aopen(id, name, chdf5_p_default()), path: path, "open attribute \(name)")
        defer { H5Aclose(attribute) }
        let type = try hdf5Check(H5Aget_type(attribute), path: path, "attribute type \(name)")
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_STRING else { return nil }
        if H5Tis_variable_str(type) > 0 {
            var pointer: UnsafeMutablePointer<CChar>?
            try hdf5Check(H5Aread(attribute, type, &pointer), path: path, "read attribute \(name)")
            guard let pointer else { return "" }
            defer { H5free_memory(pointer) }
            return String(cString: pointer)
        }
        let size = H5Tget_size(type)
        var bytes = [UInt8](repeating: 0, count: size + 1)
        try hdf5Check(H5Aread(attribute, type, &bytes), path: path, "read attribute \(name)")
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// Debian's libhdf5 is the serial build, which is not thread-safe: every call into it from CaloData
/// holds this one recursive lock, so files may be used from several threads (parallel tests,
/// concurrent readers) without corrupting the library's global state.
enum HDF5Serial {
    static let lock = NSRecursiveLock()
}
