import CHDF5
import Foundation

/// A 1-D or 2-D numeric dataset inside an ``HDF5File``, read and written by row ranges so large
/// files stream through memory once. Closes its handle in `deinit`.
public final class HDF5Dataset {
    public enum ElementType: Sendable, Equatable {
        case float32, float64, other
    }

    public let file: HDF5File
    public let name: String
    let id: hid_t

    init(file: HDF5File, name: String, id: hid_t) throws {
        self.file = file
        self.name = name
        self.id = id
    }

    deinit { HDF5Serial.lock.withLock { _ = H5Dclose(id) } }

    /// Current extent of every dimension.
    public var shape: [Int] {
        get throws {
            HDF5Serial.lock.lock()
            defer { HDF5Serial.lock.unlock() }
            let space = try hdf5Check(H5Dget_space(id), path: file.path, dataset: name, "get dataspace")
            defer { H5Sclose(space) }
            let rank = Int(H5Sget_simple_extent_ndims(space))
            guard rank > 0 else { return [] }
            var dims = [hsize_t](repeating: 0, count: rank)
            H5Sget_simple_extent_dims(space, &dims, nil)
            return dims.map { Int($0) }
        }
    }

    /// Element type stored in the file.
    public var elementType: ElementType {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        let type = H5Dget_type(id)
        guard type >= 0 else { return .other }
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_FLOAT else { return .other }
        switch H5Tget_size(type) {
        case 4: return .float32
        case 8: return .float64
        default: return .other
        }
    }

    private func rowGeometry() throws -> (rows: Int, columns: Int) {
        let s = try shape
        switch s.count {
        case 1: return (s[0], 1)
        case 2: return (s[0], s[1])
        default: throw CaloDataError.wrongShape(path: file.path, dataset: name, expected: "a 1-D or 2-D array", actual: s)
        }
    }

    /// Reads `rows` (row-major), converting to `T` (Float or Double) in HDF5.
    public func read<T: HDF5Scalar>(rows: Range<Int>, as type: T.Type = T.self) throws -> [T] {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        let (total, columns) = try rowGeometry()
        guard rows.lowerBound >= 0, rows.upperBound <= total else {
            throw CaloDataError.invalidArgument("\(file.path): rows \(rows) are outside dataset '\(name)' of \(total) rows")
        }
        let count = rows.count * columns
        guard count > 0 else { return [] }
        let fileSpace = try hdf5Check(H5Dget_space(id), path: file.path, dataset: name, "get dataspace")
        defer { H5Sclose(fileSpace) }
        let rank = H5Sget_simple_extent_ndims(fileSpace)
        var start: [hsize_t] = rank == 1 ? [hsize_t(rows.lowerBound)] : [hsize_t(rows.lowerBound), 0]
        var extent: [hsize_t] = rank == 1 ? [hsize_t(rows.count)] : [hsize_t(rows.count), hsize_t(columns)]
        try hdf5Check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &extent, nil), path: file.path, dataset: name, "select rows")
        let memorySpace = try hdf5Check(H5Screate_simple(rank, &extent, nil), path: file.path, dataset: name, "create memory space")
        defer { H5Sclose(memorySpace) }
        var status: herr_t = 0
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = H5Dread(id, T.hdf5MemoryType, memorySpace, fileSpace, chdf5_p_default(), buffer.baseAddress)
            initialized = status >= 0 ? count : 0
        }
        try hdf5Check(status, path: file.path, dataset: name, "read rows \(rows)")
        return values
    }

    /// Reads every row.
    public func readAll<T: HDF5Scalar>(as type: T.Type = T.self) throws -> [T] {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        return try read(rows: 0..<(try rowGeometry().rows), as: type)
    }

    /// Appends `values` (row-major, a multiple of the column count) at the end, growing the dataset.
    public func append<T: HDF5Scalar>(_ values: [T]) throws {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        let (rows, columns) = try rowGeometry()
        guard columns > 0, values.count % columns == 0 else {
            throw CaloDataError.invalidArgument("append to '\(name)': \(values.count) values are not whole rows of \(columns)")
        }
        let newRows = values.count / columns
        guard newRows > 0 else { return }
        var newExtent: [hsize_t] = [hsize_t(rows + newRows), hsize_t(columns)]
        try hdf5Check(H5Dset_extent(id, &newExtent), path: file.path, dataset: name, "extend")
        try write(values, atRow: rows)
    }

    /// Overwrites rows starting at `row` with `values` (row-major).
    public func write<T: HDF5Scalar>(_ values: [T], atRow row: Int) throws {
        HDF5Serial.lock.lock()
        defer { HDF5Serial.lock.unlock() }
        let (rows, columns) = try rowGeometry()
        let count = values.count / Swift.max(columns, 1)
        guard row >= 0, row + count <= rows, count * columns == values.count else {
            throw CaloDataError.invalidArgument("write to '\(name)': rows \(row)..<\(row + count) do not fit \(rows) rows of \(columns)")
        }
        let fileSpace = try hdf5Check(H5Dget_space(id), path: file.path, dataset: name, "get dataspace")
        defer { H5Sclose(fileSpace) }
        var start: [hsize_t] = [hsize_t(row), 0]
        var extent: [hsize_t] = [hsize_t(count), hsize_t(columns)]
        try hdf5Check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &extent, nil), path: file.path, dataset: name, "select rows")
        let memorySpace = try hdf5Check(H5Screate_simple(2, &extent, nil), path: file.path, dataset: name, "create memory space")
        defer { H5Sclose(memorySpace) }
        // Pass the element bytes explicitly: handing `[T]` to a `const void *` parameter for a generic
        // `T` draws a compiler warning, since the compiler cannot see that `T` holds no references.
        let status = values.withUnsafeBytes { H5Dwrite(id, T.hdf5MemoryType, memorySpace, fileSpace, chdf5_p_default(), $0.baseAddress) }
        try hdf5Check(status, path: file.path, dataset: name, "write rows")
    }
}

/// Swift element types that HDF5 reads and writes natively.
public protocol HDF5Scalar {
    static var hdf5MemoryType: hid_t { get }
}

extension Float: HDF5Scalar { public static var hdf5MemoryType: hid_t { chdf5_native_float() } }
extension Double: HDF5Scalar { public static var hdf5MemoryType: hid_t { chdf5_native_double() } }
