import Foundation

/// The memory and disk a run of `count` showers needs, checked before any work, so that a size this
/// machine cannot hold is refused with the numbers instead of crashing in an allocation (exit 134)
/// or filling the disk hours later. Runs stream one batch at a time, so large but possible counts
/// pass.
struct ShowerBudget {
    /// deflate (HDF5's gzip filter) shrinks data at most about 1032:1, so no file of `count`
    /// showers is smaller than its raw size over this.
    static let bestCompression = 1032.0
    /// Copies of one batch alive at once (the showers, their float32 copy, the HDF5 write buffer).
    static let batchCopies = 3.0

    var count: Int
    var voxels: Int
    var batchSize: Int
    /// Bytes held for the whole run besides the batch (for example the energies of a dataset-1 spectrum).
    var heldBytes: Int = 0

    /// Refuses the run when one batch (plus ``heldBytes``) exceeds the physical memory, or when the
    /// output file (`output`, nil for runs that write nothing) cannot fit on its disk even at gzip's
    /// best ratio, or when it would hold more values than a file can index.
    ///
    /// - Throws: ``CommandError/impossibleSize(option:value:need:)`` naming `countOption` or `batchOption`.
    func check(countOption: String = "--count", batchOption: String = "--batch-size", output: String?) throws {
        let raw = Double(count) * Double(voxels + 1) * 4
        guard raw < Double(Int.max) else {
            throw CommandError.impossibleSize(
                option: countOption, value: count,
                need: "\(count) showers of \(voxels) voxels are \(Self.format(raw)), more than a file can index (\(Self.format(Double(Int.max))))")
        }
        let memory = ProcessInfo.processInfo.physicalMemory
        let batch = Double(Swift.min(batchSize, count)) * Double(voxels) * 4 * Self.batchCopies
        if batch + Double(heldBytes) > Double(memory) {
            let blamesBatch = batch > Double(heldBytes)
            let detail =
                blamesBatch
                ? "a batch of \(Swift.min(batchSize, count)) showers needs about \(Self.format(batch)) of memory"
                : "the run keeps \(Self.format(Double(heldBytes))) of incident energies in memory"
            throw CommandError.impossibleSize(
                option: blamesBatch ? batchOption : countOption, value: blamesBatch ? batchSize : count,
                need: "\(detail), and this machine has \(Self.format(Double(memory)))")
        }
        guard let output else { return }
        let folder = URL(fileURLWithPath: output).deletingLastPathComponent().path
        let attributes = try? FileManager.default.attributesOfFileSystem(forPath: folder)
        guard let free = (attributes?[.systemFreeSize] as? NSNumber)?.doubleValue else { return }
        let smallest = raw / Self.bestCompression
        if smallest > free {
            throw CommandError.impossibleSize(
                option: countOption, value: count,
                need: "\(count) showers are \(Self.format(raw)) before compression and at least \(Self.format(smallest)) even at gzip's best ratio (1032:1), but \(folder) has \(Self.format(free)) free")
        }
    }

    /// Bytes in decimal units with three significant digits ("2.59 TB").
    static func format(_ bytes: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
        var value = bytes
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return String(format: "%.3g %@", value, units[unit])
    }
}
