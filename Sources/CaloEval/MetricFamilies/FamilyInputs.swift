import CaloData
import Torch

// Inputs shared by the engine-heavy metric families (FPD/KPD, PRDC, classifiers).

/// The split sizes for `events` events per class: the official ones when the files are large enough,
/// else the same 60 % / 20 % / 20 % proportions (noted in the report).
func classifierSplitSizes(for geometry: Geometry, events: Int) -> (sizes: ClassifierSplitSizes, note: String?) {
    if let official = try? ClassifierSplitSizes.official(for: geometry), official.train + 2 * official.test <= events {
        return (official, nil)
    }
    let train = events * 3 / 5
    let test = events / 5
    return (ClassifierSplitSizes(train: train, test: test),
            "files hold \(events) events per class, fewer than the official split needs; used \(train) / \(test) / \(events - train - test)")
}

/// Reads a file in batches and fills one `[events, width]` float64 tensor on `device` with
/// `transform(showers, incidentEnergies, rows)` of each batch (showers `[n, voxels]` float32, energies
/// `[n, 1]` float64, on the CPU; `rows` the batch's event numbers in the file), so that the file exists in memory once: a 100 000-event ds2
/// file is 5.2 GB in float64, and transforming it whole would need several copies at once.
func loadTransformed(
    _ path: String, geometry: Geometry, limit: Int? = nil, width: Int, device: Device, batchSize: Int = 4096,
    transform: (_ showers: Tensor, _ incidentEnergies: Tensor, _ rows: Range<Int>) throws -> Tensor
) throws -> Tensor {
    let reader = try CaloChallengeReader(path: path, geometry: geometry)
    let count = Swift.min(limit ?? reader.eventCount, reader.eventCount)
    let result = try Tensor.empty([count, width], dtype: .float64, device: device)
    for start in stride(from: 0, to: count, by: batchSize) {
        let length = Swift.min(batchSize, count - start)
        let showers = try Tensor(try reader.showers(start..<(start + length)), shape: [length, geometry.voxelCount])
        let energies = try Tensor(try reader.incidentEnergies(start..<(start + length)), shape: [length, 1])
        try result.narrowed(dim: 0, start: start, length: length).copy_(try transform(showers, energies, start..<(start + length)).to(device))
    }
    return result
}

